"""Billing (public schema): funders, price plans and contracts, daily usage metering, monthly
invoices and the funders' dashboard. See docs/billing.md."""
