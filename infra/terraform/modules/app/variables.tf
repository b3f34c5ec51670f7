variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "environment" {
  description = "Environment name (staging, production), sent to Sentry."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "base_domain" {
  description = "MBN_BASE_DOMAIN."
  type        = string
}

variable "app_image" {
  description = "Image of the web, worker and beat services (repository@sha256:digest or an immutable tag)."
  type        = string
}

variable "migrate_image" {
  description = "Image of the migrate task; the deployment sets it to the new version before app_image. Defaults to app_image."
  type        = string
  default     = null
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (must match the image)."
  type        = string
  default     = "X86_64"
}

variable "app_port" {
  description = "Port gunicorn listens on."
  type        = number
  default     = 8000
}

variable "vpc_id" {
  description = "VPC ID."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC CIDR (PostgreSQL and Redis are inside it)."
  type        = string
}

variable "app_subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the ALB."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (request-count scaling)."
  type        = string
}

variable "target_group_arn" {
  description = "Target group of the web service."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the target group (request-count scaling)."
  type        = string
}

variable "kms_key_arn" {
  description = "The environment's KMS key."
  type        = string
}

variable "bucket_names" {
  description = "Data bucket names by purpose: documents, exports, backups."
  type        = map(string)
}

variable "bucket_arns" {
  description = "Data bucket ARNs by purpose: the only buckets the app's role can reach."
  type        = map(string)
}

variable "secret_arns" {
  description = "Secrets Manager ARNs by environment-variable name, injected into every task."
  type        = map(string)
}

variable "sentry_dsn" {
  description = "SENTRY_DSN (empty: Sentry off). A DSN only allows sending events, so it is not kept as a secret."
  type        = string
  default     = ""
}

variable "conn_max_age_seconds" {
  description = "CONN_MAX_AGE of the app: lifetime of a database connection (below the server's idle_session_timeout)."
  type        = number
  default     = 60
}

variable "extra_environment" {
  description = "More environment variables (e.g. ALLOWED_HOSTS)."
  type        = map(string)
  default     = {}
}

variable "extra_egress_tcp_ports" {
  description = "Outbound TCP ports to the internet besides 443 (587: SMTP submission)."
  type        = list(number)
  default     = [587]
}

variable "web_cpu" {
  description = "CPU units of a web task (1024 = 1 vCPU)."
  type        = number
  default     = 2048
}

variable "web_memory" {
  description = "Memory (MiB) of a web task."
  type        = number
  default     = 4096
}

variable "web_workers" {
  description = "gunicorn worker processes per web task."
  type        = number
  default     = 4
}

variable "web_threads" {
  description = "Threads per gunicorn worker (each holds its own database connection)."
  type        = number
  default     = 2
}

variable "web_min_count" {
  description = "Minimum number of web tasks (at least one per AZ in production)."
  type        = number
}

variable "web_max_count" {
  description = "Maximum number of web tasks (bounded by the database connection budget)."
  type        = number
}

variable "web_cpu_target" {
  description = "Target average CPU (%) of the web service."
  type        = number
  default     = 60
}

variable "web_requests_per_target_per_minute" {
  description = "Target ALB requests per web task per minute."
  type        = number
  default     = 3000
}

variable "worker_cpu" {
  description = "CPU units of a worker task."
  type        = number
  default     = 1024
}

variable "worker_memory" {
  description = "Memory (MiB) of a worker task."
  type        = number
  default     = 2048
}

variable "worker_concurrency" {
  description = "Celery worker processes per task (each holds its own database connection)."
  type        = number
  default     = 4
}

variable "worker_min_count" {
  description = "Minimum number of worker tasks."
  type        = number
}

variable "worker_max_count" {
  description = "Maximum number of worker tasks."
  type        = number
}

variable "worker_cpu_target" {
  description = "Target average CPU (%) of the worker service."
  type        = number
  default     = 60
}

variable "migrate_cpu" {
  description = "CPU units of the migrate task."
  type        = number
  default     = 2048
}

variable "migrate_memory" {
  description = "Memory (MiB) of the migrate task."
  type        = number
  default     = 4096
}

variable "log_retention_days" {
  description = "Retention of the application log groups."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
