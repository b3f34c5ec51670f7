output "ecr_repository_url" {
  description = "Push the image here."
  value       = module.app.ecr_repository_url
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.app.cluster_name
}

output "migrate_task_definition" {
  description = "Task definition family of the one-off migration (`mbn migrate_all`)."
  value       = module.app.migrate_task_definition
}

output "migrate_network_configuration" {
  description = "--network-configuration for `aws ecs run-task`."
  value       = module.app.migrate_network_configuration
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.edge.alb_dns_name
}

output "database_address" {
  description = "PostgreSQL primary."
  value       = module.database.address
}

output "database_replica_address" {
  description = "PostgreSQL read replica."
  value       = module.database.replica_address
}

output "bucket_names" {
  description = "Data buckets."
  value       = module.storage.bucket_names
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms (subscribe the on-call pager)."
  value       = module.monitoring.alarm_topic_arn
}
