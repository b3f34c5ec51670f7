# Production: the region's 841 establishments and 1.5 million users.
# Sizes below are the starting point argued in docs/operations.md ("Scale").

locals {
  environment = "production"
  name        = "mbn-${local.environment}"
  tags = {
    Project     = "mbn"
    Environment = local.environment
    ManagedBy   = "terraform"
  }
  # Connection budget (see modules/database): 40 web tasks x 4 workers x 2
  # threads = 320, 12 workers x 4 = 48, beat 1, migrate 1, operators 20:
  # ~390 at full scale, ~550 while a deployment runs 50% extra web tasks.
  db_max_connections = 800
}

module "kms" {
  source = "../../modules/kms"
  name   = local.name
  region = var.region
  tags   = local.tags
}

module "network" {
  source             = "../../modules/network"
  name               = local.name
  region             = var.region
  cidr               = "10.20.0.0/16"
  azs                = var.azs
  single_nat_gateway = false
  kms_key_arn        = module.kms.key_arn
  tags               = local.tags
}

module "storage" {
  source      = "../../modules/storage"
  name        = local.name
  kms_key_arn = module.kms.key_arn
  tags        = local.tags
}

module "secrets" {
  source      = "../../modules/secrets"
  name        = local.name
  kms_key_arn = module.kms.key_arn
  db_host     = module.database.address
  db_port     = module.database.port
  db_name     = module.database.db_name
  db_username = module.database.username
  redis_host  = module.cache.primary_endpoint
  redis_port  = module.cache.port
  tags        = local.tags
}

module "mail" {
  source               = "../../modules/mail"
  name                 = local.name
  region               = var.region
  domain               = var.base_domain
  hosted_zone_id       = var.hosted_zone_id
  kms_key_arn          = module.kms.key_arn
  dmarc_report_address = var.alarm_email
  tags                 = local.tags
}

module "database" {
  source                     = "../../modules/database"
  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.app.security_group_id]
  kms_key_arn                = module.kms.key_arn

  instance_class          = "db.r7g.4xlarge"
  replica_instance_class  = "db.r7g.2xlarge"
  create_replica          = true
  multi_az                = true
  allocated_storage       = 500
  max_allocated_storage   = 4000
  backup_retention_period = 35
  deletion_protection     = true
  max_connections         = local.db_max_connections
  password                = module.secrets.database_password

  performance_insights_retention_days = 31
  tags                                = local.tags
}

module "cache" {
  source                     = "../../modules/cache"
  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.app.security_group_id]
  kms_key_arn                = module.kms.key_arn
  auth_token                 = module.secrets.redis_auth_token
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  tags                       = local.tags
}

module "edge" {
  source              = "../../modules/edge"
  name                = local.name
  base_domain         = var.base_domain
  hosted_zone_id      = var.hosted_zone_id
  vpc_id              = module.network.vpc_id
  vpc_cidr            = module.network.vpc_cidr
  public_subnet_ids   = module.network.public_subnet_ids
  logs_bucket         = module.storage.logs_bucket
  kms_key_arn         = module.kms.key_arn
  deletion_protection = true
  tags                = local.tags
}

module "app" {
  source        = "../../modules/app"
  name          = local.name
  environment   = local.environment
  region        = var.region
  base_domain   = var.base_domain
  app_image     = var.app_image
  migrate_image = var.migrate_image
  sentry_dsn    = var.sentry_dsn

  vpc_id                  = module.network.vpc_id
  vpc_cidr                = module.network.vpc_cidr
  app_subnet_ids          = module.network.app_subnet_ids
  alb_security_group_id   = module.edge.alb_security_group_id
  alb_arn_suffix          = module.edge.alb_arn_suffix
  target_group_arn        = module.edge.target_group_arn
  target_group_arn_suffix = module.edge.target_group_arn_suffix
  kms_key_arn             = module.kms.key_arn
  bucket_names            = module.storage.bucket_names
  bucket_arns             = module.storage.bucket_arns
  secret_arns             = merge(module.secrets.secret_arns, module.mail.secret_arns)
  extra_environment       = module.mail.environment

  web_cpu          = 2048
  web_memory       = 4096
  web_workers      = 4
  web_threads      = 2
  web_min_count    = 4
  web_max_count    = 40
  worker_min_count = 3
  worker_max_count = 12
  tags             = local.tags
}

module "monitoring" {
  source                     = "../../modules/monitoring"
  name                       = local.name
  kms_key_arn                = module.kms.key_arn
  alarm_email                = var.alarm_email
  db_primary_identifier      = module.database.primary_identifier
  db_replica_identifier      = module.database.replica_identifier
  db_max_connections         = local.db_max_connections
  alb_arn_suffix             = module.edge.alb_arn_suffix
  target_group_arn_suffix    = module.edge.target_group_arn_suffix
  cluster_name               = module.app.cluster_name
  redis_replication_group_id = module.cache.replication_group_id
  tags                       = local.tags
}
