output "database_password" {
  description = "Generated database password (passed to modules/database)."
  value       = random_password.database.result
  sensitive   = true
}

output "redis_auth_token" {
  description = "Generated Redis AUTH token (passed to modules/cache)."
  value       = random_password.redis_auth_token.result
  sensitive   = true
}

output "secret_arns" {
  description = "Secret ARNs by environment-variable name (DATABASE_URL, REDIS_URL, SECRET_KEY)."
  value       = { for k, s in aws_secretsmanager_secret.app : k => s.arn }
  # Tasks that reference a secret without a value fail to start: consumers
  # wait until the values (which need the database and Redis endpoints) exist.
  depends_on = [aws_secretsmanager_secret_version.app]
}
