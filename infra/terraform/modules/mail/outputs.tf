output "secret_arns" {
  description = "Secret ARNs of the SMTP credentials by environment-variable name."
  value       = { for k, s in aws_secretsmanager_secret.smtp : k => s.arn }
  depends_on  = [aws_secretsmanager_secret_version.smtp]
}

output "environment" {
  description = "The app's mail settings (not secret)."
  value = {
    EMAIL_BACKEND      = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST         = "email-smtp.${var.region}.amazonaws.com"
    EMAIL_PORT         = "587"
    EMAIL_USE_TLS      = "true"
    DEFAULT_FROM_EMAIL = "MBN <no-reply@${var.domain}>"
  }
}

output "identity_arn" {
  description = "ARN of the SES domain identity."
  value       = aws_sesv2_email_identity.domain.arn
}
