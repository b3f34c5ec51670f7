# One private data bucket: public access blocked (all four flags), ACLs
# disabled, TLS-only bucket policy, versioning, default SSE-KMS encryption,
# access logging, lifecycle rules and, optionally, object lock.

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:data residency - pupils' data stays in the region chosen by the contract; durability comes from S3's multi-AZ storage, versioning and (backups) object lock; see docs/operations.md
  #checkov:skip=CKV2_AWS_62:no consumer of S3 events: the application writes and reads these objects itself
  #checkov:skip=CKV_AWS_143:object lock is var.object_lock_days, on for the backups bucket only; documents and exports must stay deletable (GDPR erasure, export expiry)
  bucket              = "${var.name}-${data.aws_caller_identity.current.account_id}"
  object_lock_enabled = var.object_lock_days > 0
  force_destroy       = false
  tags                = merge(var.tags, { Name = var.name })
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # S3 Bucket Keys cut KMS requests (and their cost) by orders of magnitude.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = "s3/${var.name}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "uploads-and-old-versions"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_days
    }
  }

  # The two optional rules are always present and disabled when not wanted
  # (rather than dynamic blocks), so that the configuration reads the same for
  # every bucket. Disabled rules still need valid days: 30 is S3's minimum for
  # a transition to STANDARD_IA.
  rule {
    id     = "transition"
    status = var.transition_days > 0 ? "Enabled" : "Disabled"
    filter {}
    transition {
      days          = max(var.transition_days, 30)
      storage_class = var.transition_storage_class
    }
  }

  rule {
    id     = "expire-current"
    status = var.expiration_days > 0 ? "Enabled" : "Disabled"
    filter {}
    expiration {
      days = max(var.expiration_days, 1)
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_object_lock_configuration" "this" {
  count  = var.object_lock_days > 0 ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    default_retention {
      # GOVERNANCE: an operator holding s3:BypassGovernanceRetention can still
      # delete (e.g. a GDPR erasure request); nobody else, the app included.
      mode = "GOVERNANCE"
      days = var.object_lock_days
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
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
}

resource "aws_s3_bucket_policy" "this" {
  bucket     = aws_s3_bucket.this.id
  policy     = data.aws_iam_policy_document.tls_only.json
  depends_on = [aws_s3_bucket_public_access_block.this]
}
