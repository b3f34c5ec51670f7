# Secrets of the application, in Secrets Manager, encrypted with the
# environment's KMS key. ECS injects them as environment variables when a
# task starts (the task execution role reads them; the app's task role does
# not need to).
#
# The generated values are also in the Terraform state: the state bucket must
# be encrypted and access to it restricted (see infra/terraform/README.md).
# Alphanumeric only, so that they can be put in URLs without escaping.

resource "random_password" "database" {
  length  = 40
  special = false
}

resource "random_password" "redis_auth_token" {
  length  = 64
  special = false
}

resource "random_password" "django_secret_key" {
  length  = 64
  special = false
}

# The first Fernet key encrypting secrets at rest (FIELD_ENCRYPTION_KEYS, newest first):
# 32 random bytes, URL-safe base64. Rotation adds a key in front (docs/operations.md).
resource "random_bytes" "field_encryption_key" {
  length = 32
}

# The VAPID key pair that signs Web Push requests (the MBN app's push notifications): an ECDSA
# P-256 key; the application derives the public key browsers subscribe with from it. A new key
# invalidates every push subscription (browsers subscribe again on their next visit).
resource "tls_private_key" "web_push_vapid" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

locals {
  secrets = {
    DATABASE_URL = "postgres://${var.db_username}:${random_password.database.result}@${var.db_host}:${var.db_port}/${var.db_name}?sslmode=require"
    # Celery requires ssl_cert_reqs on a rediss:// URL.
    REDIS_URL                  = "rediss://:${random_password.redis_auth_token.result}@${var.redis_host}:${var.redis_port}/0?ssl_cert_reqs=required"
    SECRET_KEY                 = random_password.django_secret_key.result
    FIELD_ENCRYPTION_KEYS      = replace(replace(random_bytes.field_encryption_key.base64, "+", "-"), "/", "_")
    WEB_PUSH_VAPID_PRIVATE_KEY = tls_private_key.web_push_vapid.private_key_pem
  }
  # for_each over the names only: the values are sensitive.
  secret_names = toset(["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "WEB_PUSH_VAPID_PRIVATE_KEY"])
}

resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:rotation is an operator procedure (docs/operations.md, "Rotate secrets"): a new value only reaches ECS tasks when they restart, so it goes with a deployment instead of a Lambda
  for_each = local.secret_names

  name                    = "${var.name}/${each.key}"
  description             = "MBN ${var.name}: ${each.key}"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  for_each = local.secret_names

  secret_id     = aws_secretsmanager_secret.app[each.key].id
  secret_string = local.secrets[each.key]
}
