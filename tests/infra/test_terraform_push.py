"""The Web Push VAPID key of the deployment: made by Terraform (ECDSA P-256), kept in Secrets
Manager with the application's other secrets, injected into the tasks as
``WEB_PUSH_VAPID_PRIVATE_KEY`` (mbn_platform/config/push_settings.py reads it)."""

from __future__ import annotations

from tests.infra.terraform_reading import MODULES, locals_of, one, refers_to


def test_the_vapid_key_is_an_app_secret() -> None:
    secrets = MODULES / "secrets"
    key = one("tls_private_key", "web_push_vapid", secrets)
    assert (key.body["algorithm"], key.body["ecdsa_curve"]) == ("ECDSA", "P256")
    found = locals_of(secrets)
    assert "WEB_PUSH_VAPID_PRIVATE_KEY" in str(found["secret_names"])  # toset([...])
    assert refers_to(found["secrets"]["WEB_PUSH_VAPID_PRIVATE_KEY"], "tls_private_key.web_push_vapid")
