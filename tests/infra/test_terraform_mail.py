"""Invariants of the Terraform deployment's outgoing mail (infra/terraform/modules/mail): Amazon SES
with DKIM, aligned SPF and DMARC, an SMTP user that may only send from the domain, its credentials
in Secrets Manager."""

from __future__ import annotations

from tests.infra.terraform_reading import (
    ENVIRONMENTS,
    MODULES,
    as_list,
    first,
    locals_of,
    module_calls,
    one,
    refers_to,
)


def test_every_environment_sends_mail_through_ses_with_its_credentials_in_secrets() -> None:
    for environment in ENVIRONMENTS:
        calls = module_calls(environment)
        assert calls["mail"]["source"] == "../../modules/mail"
        app = calls["app"]
        assert refers_to(app["secret_arns"], "module.mail.secret_arns")
        assert refers_to(app["extra_environment"], "module.mail.environment")


def test_the_ses_domain_is_signed_with_dkim_and_aligned_spf_and_dmarc() -> None:
    mail = MODULES / "mail"
    identity = one("aws_sesv2_email_identity", "domain", mail)
    assert first(identity.body, "dkim_signing_attributes")["next_signing_key_length"] == "RSA_2048_BIT"
    assert refers_to(identity.body["configuration_set_name"], "aws_sesv2_configuration_set.app")
    dkim = one("aws_route53_record", "dkim", mail)
    assert dkim.body["count"] == 3 and dkim.body["type"] == "CNAME"
    assert "dkim.amazonses.com" in str(dkim.body["records"])
    assert one("aws_sesv2_email_identity_mail_from_attributes", "domain", mail)
    assert "include:amazonses.com" in str(one("aws_route53_record", "mail_from_spf", mail).body["records"])
    assert "v=DMARC1" in str(one("aws_route53_record", "dmarc", mail).body["records"])
    config = one("aws_sesv2_configuration_set", "app", mail)
    assert first(config.body, "delivery_options")["tls_policy"] == "REQUIRE"
    assert set(first(config.body, "suppression_options")["suppressed_reasons"]) == {"BOUNCE", "COMPLAINT"}


def test_the_smtp_user_may_only_send_from_the_domain() -> None:
    mail = MODULES / "mail"
    policy = one("aws_iam_user_policy", "smtp", mail)
    assert refers_to(policy.body["policy"], "data.aws_iam_policy_document.smtp")
    document = one("aws_iam_policy_document", "smtp", mail, kind="data")
    for statement in document.body["statement"]:
        assert as_list(statement["actions"]) == ["ses:SendRawEmail"]
        for resource in as_list(statement["resources"]):
            assert refers_to(resource, "aws_sesv2_email_identity.domain") or refers_to(
                resource, "aws_sesv2_configuration_set.app"
            )
        assert first(statement, "condition")["variable"] == "ses:FromAddress"


def test_the_smtp_credentials_are_secrets_encrypted_with_the_kms_key() -> None:
    mail = MODULES / "mail"
    secret = one("aws_secretsmanager_secret", "smtp", mail)
    assert refers_to(secret.body["kms_key_id"], "var.kms_key_arn")
    names = locals_of(mail)["secret_names"]
    assert "EMAIL_HOST_USER" in str(names) and "EMAIL_HOST_PASSWORD" in str(names)
    assert "ses_smtp_password_v4" in str(locals_of(mail)["secrets"])
