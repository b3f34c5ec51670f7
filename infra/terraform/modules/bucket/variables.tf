variable "name" {
  description = "Bucket name prefix, e.g. mbn-production-documents (the account id is appended)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for default encryption."
  type        = string
}

variable "access_log_bucket" {
  description = "Bucket receiving the S3 server access logs."
  type        = string
}

variable "noncurrent_days" {
  description = "Days a replaced or deleted object version is kept."
  type        = number
}

variable "transition_days" {
  description = "Days before current objects move to transition_storage_class (0: never)."
  type        = number
  default     = 0
}

variable "transition_storage_class" {
  description = "Storage class of the transition rule."
  type        = string
  default     = "STANDARD_IA"
}

variable "expiration_days" {
  description = "Days before current objects expire (0: never)."
  type        = number
  default     = 0
}

variable "object_lock_days" {
  description = "Default object-lock (governance) retention in days (0: no object lock)."
  type        = number
  default     = 0
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
