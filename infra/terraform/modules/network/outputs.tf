output "vpc_id" {
  description = "VPC ID."
  value       = aws_vpc.main.id
}

output "vpc_cidr" {
  description = "VPC CIDR block."
  value       = aws_vpc.main.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private subnets for the ECS tasks."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "Isolated subnets for RDS and ElastiCache."
  value       = aws_subnet.data[*].id
}
