"""Routes of billing on the portal: the dashboard and the invoices (pages), and the API."""

from __future__ import annotations

from django.urls import path

from shared_apps.billing import api, invoice_views, views

page_urlpatterns = [
    path("billing/", views.DashboardView.as_view(), name="billing-dashboard"),
    path("billing/usage.csv", views.DashboardCsvView.as_view(), name="billing-dashboard-csv"),
    path(
        "billing/establishments/<str:uai>/",
        views.EstablishmentUsageView.as_view(),
        name="billing-establishment",
    ),
    path("billing/invoices/", invoice_views.InvoiceListView.as_view(), name="billing-invoices"),
    path("billing/invoices/preview/", invoice_views.InvoicePreviewView.as_view(), name="billing-preview"),
    path(
        "billing/invoices/<int:invoice_id>/",
        invoice_views.InvoiceDetailView.as_view(),
        name="billing-invoice",
    ),
    path(
        "billing/invoices/<int:invoice_id>/credit-note/",
        invoice_views.CreditNoteView.as_view(),
        name="billing-credit-note",
    ),
    path(
        "billing/invoices/<int:invoice_id>/pdf/",
        invoice_views.InvoicePdfView.as_view(),
        name="billing-invoice-pdf",
    ),
    path(
        "billing/invoices/<int:invoice_id>/csv/",
        invoice_views.InvoiceCsvView.as_view(),
        name="billing-invoice-csv",
    ),
]

api_urlpatterns = [
    path("billing/funders/", api.FunderListApi.as_view(), name="api-billing-funders"),
    path("billing/usage/", api.UsageListApi.as_view(), name="api-billing-usage"),
    path("billing/invoices/", api.InvoiceListApi.as_view(), name="api-billing-invoices"),
    path("billing/invoices/preview/", api.InvoicePreviewApi.as_view(), name="api-billing-preview"),
    path("billing/invoices/issue/", api.InvoiceIssueApi.as_view(), name="api-billing-issue"),
    path("billing/invoices/<int:invoice_id>/", api.InvoiceDetailApi.as_view(), name="api-billing-invoice"),
    path(
        "billing/invoices/<int:invoice_id>/credit-note/",
        api.CreditNoteApi.as_view(),
        name="api-billing-credit-note",
    ),
    path(
        "billing/establishments/<str:uai>/funder/",
        api.EstablishmentFunderApi.as_view(),
        name="api-billing-establishment-funder",
    ),
]
