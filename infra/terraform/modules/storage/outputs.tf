output "documents_bucket" {
  description = "Name of the documents bucket (S3_BUCKET of the app)."
  value       = module.documents.name
}

output "bucket_names" {
  description = "Data bucket names by purpose (documents, exports, backups)."
  value       = { for k, b in local.buckets : k => b.name }
}

output "bucket_arns" {
  description = "Data bucket ARNs by purpose (documents, exports, backups)."
  value       = { for k, b in local.buckets : k => b.arn }
}

output "logs_bucket" {
  description = "Name of the access-log bucket."
  value       = aws_s3_bucket.logs.bucket
  # The ALB checks at creation that it may write its access logs here.
  depends_on = [aws_s3_bucket_policy.logs]
}
