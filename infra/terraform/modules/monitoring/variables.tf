variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the SNS topic."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to the alarms (empty: none; subscribe a pager instead)."
  type        = string
  default     = ""
}

variable "db_primary_identifier" {
  description = "RDS identifier of the primary."
  type        = string
}

variable "db_replica_identifier" {
  description = "RDS identifier of the replica (empty: no replica)."
  type        = string
  default     = ""
}

variable "db_max_connections" {
  description = "max_connections of the parameter group."
  type        = number
}

variable "db_free_storage_threshold_bytes" {
  description = "Alarm when free storage falls below this."
  type        = number
  default     = 53687091200
}

variable "db_freeable_memory_threshold_bytes" {
  description = "Alarm when freeable memory falls below this."
  type        = number
  default     = 8589934592
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the web target group."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster."
  type        = string
}

variable "redis_replication_group_id" {
  description = "ElastiCache replication group."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
