variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the secrets."
  type        = string
}

variable "db_host" {
  description = "Host name of the PostgreSQL primary."
  type        = string
}

variable "db_port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432
}

variable "db_name" {
  description = "Database name."
  type        = string
}

variable "db_username" {
  description = "Database user of the application."
  type        = string
}

variable "redis_host" {
  description = "Primary endpoint of Redis."
  type        = string
}

variable "redis_port" {
  description = "Redis port."
  type        = number
  default     = 6379
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
