# S3 buckets of one environment:
#   documents - the schools' files (django-storages, key prefix per establishment);
#   exports   - generated exports (CSV, PDF bundles, establishment exports for
#               download), short-lived;
#   backups   - establishment exports kept for restore (`mbn establishment_export`),
#               logical dumps; object lock protects them from deletion;
#   logs      - S3 server access logs and ALB access logs.
# Every bucket: public access blocked (all four flags), ACLs disabled, TLS-only
# bucket policy, versioning, default encryption, lifecycle rules.

data "aws_caller_identity" "current" {}
data "aws_elb_service_account" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

module "documents" {
  source            = "../bucket"
  name              = "${var.name}-documents"
  kms_key_arn       = var.kms_key_arn
  access_log_bucket = aws_s3_bucket.logs.id
  # Current versions stay (the application deletes what a school deletes);
  # replaced or deleted versions are kept for undelete, then expire.
  # Intelligent-Tiering moves documents nobody opens to cheaper tiers without
  # retrieval fees (most files are read in the weeks after their upload).
  noncurrent_days          = var.documents_noncurrent_days
  transition_days          = 30
  transition_storage_class = "INTELLIGENT_TIERING"
  tags                     = merge(var.tags, { Purpose = "documents" })
}

module "exports" {
  source            = "../bucket"
  name              = "${var.name}-exports"
  kms_key_arn       = var.kms_key_arn
  access_log_bucket = aws_s3_bucket.logs.id
  noncurrent_days   = 1
  expiration_days   = var.exports_expiration_days
  tags              = merge(var.tags, { Purpose = "exports" })
}

module "backups" {
  source                   = "../bucket"
  name                     = "${var.name}-backups"
  kms_key_arn              = var.kms_key_arn
  access_log_bucket        = aws_s3_bucket.logs.id
  noncurrent_days          = 30
  transition_days          = 30
  transition_storage_class = "GLACIER_IR"
  expiration_days          = var.backups_expiration_days
  object_lock_days         = var.backups_object_lock_days
  tags                     = merge(var.tags, { Purpose = "backups" })
}

locals {
  buckets = {
    documents = module.documents
    exports   = module.exports
    backups   = module.backups
  }
}

# ---------------------------------------------------------------------------
# Log bucket: receives S3 server access logs and ALB access logs.

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:this is the access-log bucket itself; logging it into itself would loop
  #checkov:skip=CKV_AWS_144:data residency (see the data buckets); access logs are not restored from another region
  #checkov:skip=CKV2_AWS_62:no consumer of S3 events for access logs
  #checkov:skip=CKV_AWS_145:ALB access logs and S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (AES256), not SSE-KMS
  #checkov:skip=CKV_AWS_143:logs expire by lifecycle rule; object lock would keep them beyond their retention
  bucket        = "${var.name}-logs-${local.account_id}"
  force_destroy = false
  tags          = merge(var.tags, { Name = "${var.name}-logs", Purpose = "logs" })
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      # Access-log delivery requires SSE-S3 on the target bucket.
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    expiration {
      days = var.logs_expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/s3/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # ALB access logs. Regions opened before August 2022 (eu-west-3 among them)
  # deliver from the regional Elastic Load Balancing account.
  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/AWSLogs/${local.account_id}/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket     = aws_s3_bucket.logs.id
  policy     = data.aws_iam_policy_document.logs.json
  depends_on = [aws_s3_bucket_public_access_block.logs]
}
