output "primary_endpoint" {
  description = "Primary endpoint (host name) of the replication group."
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.main.port
}

output "replication_group_id" {
  description = "Replication group ID (for alarms)."
  value       = aws_elasticache_replication_group.main.id
}

output "security_group_id" {
  description = "Security group of Redis."
  value       = aws_security_group.redis.id
}
