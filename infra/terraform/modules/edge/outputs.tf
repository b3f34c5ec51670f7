output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.main.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB (CloudWatch dimension)."
  value       = aws_lb.main.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = aws_lb.main.dns_name
}

output "alb_security_group_id" {
  description = "Security group of the ALB."
  value       = aws_security_group.alb.id
}

output "target_group_arn" {
  description = "Target group of the web service."
  value       = aws_lb_target_group.web.arn
  # ECS refuses a target group that no listener uses yet.
  depends_on = [aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the web target group (CloudWatch dimension)."
  value       = aws_lb_target_group.web.arn_suffix
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "certificate_arn" {
  description = "ARN of the wildcard certificate."
  value       = aws_acm_certificate_validation.wildcard.certificate_arn
}
