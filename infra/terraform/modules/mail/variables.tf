variable "name" {
  description = "Name prefix, e.g. mbn-production."
  type        = string
}

variable "region" {
  description = "AWS region of SES (the SMTP endpoint is email-smtp.<region>.amazonaws.com)."
  type        = string
}

variable "domain" {
  description = "The domain mail is sent from (the base domain)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 zone of the domain (DKIM, MAIL FROM and DMARC records)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the SMTP credentials' secrets."
  type        = string
}

variable "dmarc_report_address" {
  description = "Where DMARC aggregate reports go."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
