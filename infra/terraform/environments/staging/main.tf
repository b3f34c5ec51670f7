# Staging: the same architecture as production, smaller and cheaper:
# single NAT gateway, single-AZ database without replica, fewer tasks.
# Rehearse deployments, migrations and restores here first.

locals {
  environment = "staging"
  name        = "mbn-${local.environment}"
  tags = {
    Project     = "mbn"
    Environment = local.environment
    ManagedBy   = "terraform"
  }
  # Connection budget: 4 web tasks x 2 workers x 2 threads = 16, 2 workers
  # x 4 = 8, beat 1, migrate 1, operators 20: ~46, ~54 during a deployment.
  db_max_connections = 200
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
  cidr               = "10.30.0.0/16"
  azs                = var.azs
  single_nat_gateway = true
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

  instance_class          = "db.t4g.large"
  replica_instance_class  = "db.t4g.large"
  create_replica          = false
  multi_az                = false
  allocated_storage       = 100
  max_allocated_storage   = 500
  backup_retention_period = 7
  deletion_protection     = true
  max_connections         = local.db_max_connections
  password                = module.secrets.database_password

  performance_insights_retention_days = 7
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
  node_type                  = "cache.t4g.small"
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

  web_cpu          = 1024
  web_memory       = 2048
  web_workers      = 2
  web_threads      = 2
  web_min_count    = 1
  web_max_count    = 4
  worker_min_count = 1
  worker_max_count = 2
  migrate_cpu      = 1024
  migrate_memory   = 2048
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
