# Outgoing mail through Amazon SES (shared_apps/notifications sends over SMTP).
#
# - The base domain as an SES identity, signed with Easy DKIM (2048-bit keys; the three CNAME
#   records published in the hosted zone), a custom MAIL FROM subdomain (SPF aligned) and a
#   DMARC policy.
# - A configuration set that keeps reputation metrics and suppresses addresses that bounced or
#   complained (the app records its own bounces too: MailBounce).
# - An IAM user allowed only ses:SendRawEmail from that identity, through that configuration set:
#   its SMTP credentials (the SigV4 SMTP password derived from its key) sit in Secrets Manager,
#   encrypted with the environment's KMS key, and reach the tasks as EMAIL_HOST_USER and
#   EMAIL_HOST_PASSWORD (the app's other mail settings: outputs.environment).

resource "aws_sesv2_configuration_set" "app" {
  configuration_set_name = var.name

  delivery_options {
    tls_policy = "REQUIRE"
  }
  reputation_options {
    reputation_metrics_enabled = true
  }
  sending_options {
    sending_enabled = true
  }
  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
  tags = var.tags
}

resource "aws_sesv2_email_identity" "domain" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.app.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
  tags = var.tags
}

# Easy DKIM: SES gives three tokens, each published as a CNAME.
resource "aws_route53_record" "dkim" {
  count = 3

  zone_id = var.hosted_zone_id
  name    = "${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_email_identity_mail_from_attributes" "domain" {
  email_identity         = aws_sesv2_email_identity.domain.email_identity
  mail_from_domain       = "mail.${var.domain}"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.hosted_zone_id
  name    = aws_sesv2_email_identity_mail_from_attributes.domain.mail_from_domain
  type    = "MX"
  ttl     = 1800
  records = ["10 feedback-smtp.${var.region}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.hosted_zone_id
  name    = aws_sesv2_email_identity_mail_from_attributes.domain.mail_from_domain
  type    = "TXT"
  ttl     = 1800
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.hosted_zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 1800
  records = ["v=DMARC1; p=quarantine; rua=mailto:${var.dmarc_report_address}"]
}

# The SMTP user: it may send from the domain's identity through the configuration set, nothing else.
resource "aws_iam_user" "smtp" {
  #checkov:skip=CKV_AWS_273:SES SMTP credentials can only be derived from an IAM user's access key
  name = "${var.name}-ses-smtp"
  tags = var.tags
}

data "aws_iam_policy_document" "smtp" {
  statement {
    sid     = "SendFromTheDomainOnly"
    actions = ["ses:SendRawEmail"]
    resources = [
      aws_sesv2_email_identity.domain.arn,
      aws_sesv2_configuration_set.app.arn,
    ]
    condition {
      test     = "StringLike"
      variable = "ses:FromAddress"
      values   = ["*@${var.domain}"]
    }
  }
}

resource "aws_iam_user_policy" "smtp" {
  #checkov:skip=CKV_AWS_40:an SMTP user has exactly one permission; a group would hold one member
  name   = "ses-send"
  user   = aws_iam_user.smtp.name
  policy = data.aws_iam_policy_document.smtp.json
}

resource "aws_iam_access_key" "smtp" {
  user = aws_iam_user.smtp.name
}

locals {
  secrets = {
    EMAIL_HOST_USER     = aws_iam_access_key.smtp.id
    EMAIL_HOST_PASSWORD = aws_iam_access_key.smtp.ses_smtp_password_v4
  }
  secret_names = toset(["EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"])
}

resource "aws_secretsmanager_secret" "smtp" {
  #checkov:skip=CKV2_AWS_57:rotating means a new access key, applied with a deployment (docs/operations.md)
  for_each = local.secret_names

  name                    = "${var.name}/${each.key}"
  description             = "MBN ${var.name}: ${each.key} (SES SMTP)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "smtp" {
  for_each = local.secret_names

  secret_id     = aws_secretsmanager_secret.smtp[each.key].id
  secret_string = local.secrets[each.key]
}
