variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "region" {
  description = "AWS region of the environment (used in the CloudWatch Logs service principal)."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
