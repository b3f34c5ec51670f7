variable "region" {
  description = "AWS region of the platform."
  type        = string
  default     = "eu-west-3"
}

variable "azs" {
  description = "The three availability zones."
  type        = list(string)
  default     = ["eu-west-3a", "eu-west-3b", "eu-west-3c"]
}

variable "base_domain" {
  description = "Base domain of the region (MBN_BASE_DOMAIN); schools are <subdomain>.<base_domain>."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of base_domain."
  type        = string
}

variable "app_image" {
  description = "Image of the running services: <ecr repository url>@sha256:<digest>."
  type        = string
}

variable "migrate_image" {
  description = "Image of the migrate task; set to the new version first during a deployment. Defaults to app_image."
  type        = string
  default     = null
}

variable "sentry_dsn" {
  description = "SENTRY_DSN (empty: Sentry off)."
  type        = string
  default     = ""
}

variable "alarm_email" {
  description = "Address subscribed to the alarms."
  type        = string
  default     = ""
}
