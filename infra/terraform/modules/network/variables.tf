variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR block (a /16)."
  type        = string
}

variable "azs" {
  description = "Availability zones: three, one subnet of each tier in each."
  type        = list(string)

  validation {
    condition     = length(var.azs) == 3
    error_message = "The platform runs over exactly three availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper, staging) instead of one per AZ (production)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key for the flow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the flow logs."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
