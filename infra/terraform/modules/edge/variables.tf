variable "name" {
  description = "Name prefix, e.g. mbn-production (at most 32 characters: ALB name)."
  type        = string
}

variable "base_domain" {
  description = "Base domain (MBN_BASE_DOMAIN); schools are <subdomain>.<base_domain>."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of the base domain (created and delegated outside Terraform)."
  type        = string
}

variable "vpc_id" {
  description = "VPC ID."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC CIDR (the ALB may reach the app port inside it)."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the ALB."
  type        = list(string)
}

variable "app_port" {
  description = "Port gunicorn listens on."
  type        = number
  default     = 8000
}

variable "logs_bucket" {
  description = "Bucket for ALB access logs."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the WAF log group."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse deletion of the ALB."
  type        = bool
  default     = true
}

variable "rate_limit_per_5_minutes" {
  description = "Requests per client IP per 5 minutes before WAF blocks (schools share NAT addresses: keep high)."
  type        = number
  default     = 20000
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
