# One customer-managed key per environment. It encrypts RDS storage and
# Performance Insights, the S3 data buckets, Secrets Manager secrets,
# ElastiCache, CloudWatch log groups, the SNS alarm topic and the ECR repository.
#
# The key policy follows AWS's default pattern: the account root may administer
# the key, which delegates every other grant to IAM policies (the ECS roles get
# kms:Decrypt / kms:GenerateDataKey on this key only, in modules/app). Services
# that write with the key without an IAM role of ours (CloudWatch Logs,
# CloudWatch alarms publishing to SNS) are named with a condition.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:KMS key policy: "*" as resource means this key only; root administration is AWS's default key policy and keeps the key manageable
  #checkov:skip=CKV_AWS_111:KMS key policy: "*" as resource means this key only; root administration is AWS's default key policy and keeps the key manageable
  #checkov:skip=CKV_AWS_356:KMS key policy: "*" as resource means this key only (a key policy cannot name other resources)
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogs"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsToEncryptedSns"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "main" {
  description             = "${var.name}: data at rest (RDS, S3, Secrets Manager, ElastiCache, logs, SNS, ECR)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.main.key_id
}
