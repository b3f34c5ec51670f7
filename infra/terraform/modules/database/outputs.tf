output "address" {
  description = "Host name of the primary."
  value       = aws_db_instance.primary.address
}

output "port" {
  description = "Port of the primary."
  value       = aws_db_instance.primary.port
}

output "replica_address" {
  description = "Host name of the read replica (empty without replica)."
  value       = var.create_replica ? aws_db_instance.replica[0].address : ""
}

output "db_name" {
  description = "Database name."
  value       = aws_db_instance.primary.db_name
}

output "username" {
  description = "Master user name."
  value       = aws_db_instance.primary.username
}

output "primary_identifier" {
  description = "RDS identifier of the primary."
  value       = aws_db_instance.primary.identifier
}

output "replica_identifier" {
  description = "RDS identifier of the replica (empty without replica)."
  value       = var.create_replica ? aws_db_instance.replica[0].identifier : ""
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.db.id
}
