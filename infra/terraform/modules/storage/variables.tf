variable "name" {
  description = "Name prefix, e.g. mbn-production (the account id is appended to bucket names)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the data buckets."
  type        = string
}

variable "documents_noncurrent_days" {
  description = "Days a replaced or deleted document version is kept (undelete window)."
  type        = number
  default     = 90
}

variable "exports_expiration_days" {
  description = "Days a generated export stays downloadable."
  type        = number
  default     = 7
}

variable "backups_expiration_days" {
  description = "Days an establishment export or logical dump is kept in the backups bucket."
  type        = number
  default     = 400
}

variable "backups_object_lock_days" {
  description = "Object-lock (governance) retention of new backups."
  type        = number
  default     = 35
}

variable "logs_expiration_days" {
  description = "Days access logs are kept."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
