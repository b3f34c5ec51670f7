output "cluster_name" {
  description = "ECS cluster."
  value       = aws_ecs_cluster.main.name
}

output "ecr_repository_url" {
  description = "ECR repository to push the image to."
  value       = aws_ecr_repository.app.repository_url
}

output "service_names" {
  description = "ECS services."
  value = {
    web    = aws_ecs_service.web.name
    worker = aws_ecs_service.worker.name
    beat   = aws_ecs_service.beat.name
  }
}

output "migrate_task_definition" {
  description = "Family of the one-off migrate task definition."
  value       = aws_ecs_task_definition.migrate.family
}

output "migrate_network_configuration" {
  description = "--network-configuration for `aws ecs run-task` of one-off tasks (migrate, establishment export/restore)."
  value = jsonencode({
    awsvpcConfiguration = {
      subnets        = var.app_subnet_ids
      securityGroups = [aws_security_group.app.id]
      assignPublicIp = "DISABLED"
    }
  })
}

output "security_group_id" {
  description = "Security group of the tasks (allowed into PostgreSQL and Redis)."
  value       = aws_security_group.app.id
}

output "task_role_arn" {
  description = "The application's IAM role."
  value       = aws_iam_role.task.arn
}
