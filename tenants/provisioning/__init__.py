"""The provisioning service: onboarding jobs made of idempotent steps, bulk onboarding, domains,
lifecycle and the region generator. Everything an operator does to an establishment."""
