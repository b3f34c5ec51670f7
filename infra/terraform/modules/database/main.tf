# PostgreSQL on RDS: one primary (Multi-AZ in production), one read replica,
# a parameter group tuned for django-tenants with hundreds of schemas.

data "aws_partition" "current" {}

locals {
  family = "postgres${split(".", var.engine_version)[0]}"
}

resource "aws_security_group" "db" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL: reachable from the application tasks only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-postgres" })
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  # count, not for_each: the security group IDs are only known after apply.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the application"
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_subnet_group" "main" {
  name       = "${var.name}-postgres"
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

# Parameters. The numbers assume the production instance (db.r7g.4xlarge,
# 16 vCPU / 128 GiB) and are explained one by one; staging passes its own
# max_connections.
resource "aws_db_parameter_group" "main" {
  name        = "${var.name}-${local.family}"
  family      = local.family
  description = "MBN: django-tenants with one schema per establishment"
  tags        = var.tags

  # pg_stat_statements for query statistics (Performance Insights reads it).
  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }

  # pg_stat_statements keys entries by query id, which hashes relation OIDs:
  # the same ORM query on 841 schemas is 841 entries. The default (5000) would
  # evict constantly; 20000 entries cost about 40 MB of shared memory.
  parameter {
    name         = "pg_stat_statements.max"
    value        = "20000"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pg_stat_statements.track"
    value = "top"
  }

  # Connections. Budget (see docs/operations.md): web tasks x gunicorn workers
  # x threads + Celery worker concurrency + beat + migrations + operators,
  # about 400 at the autoscaling maximum, 550 during a deployment. Every backend keeps a catalog cache
  # that grows with the number of relations it has touched (about 350 per
  # establishment schema), so connections are few, short-lived (CONN_MAX_AGE
  # / pool max_lifetime in the app) and never multiplexed by PgBouncer in
  # transaction mode (search_path would leak between clients).
  parameter {
    name         = "max_connections"
    value        = tostring(var.max_connections)
    apply_method = "pending-reboot"
  }

  # Backstop for the app's finite connection lifetime: a session idle for
  # longer than this is closed by the server (and its catalog cache freed).
  # Must stay above the app's CONN_MAX_AGE.
  parameter {
    name  = "idle_session_timeout"
    value = tostring(var.idle_session_timeout_ms)
  }

  # A transaction left open by a crashed request holds locks and blocks vacuum.
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }

  # A migration across all schemas, `pg_dump` of the whole database or the
  # cloning of the template schema takes one lock per relation in a single
  # transaction. The shared lock table holds max_locks_per_transaction x
  # max_connections entries: 1024 x 800 = about 820,000 slots in production,
  # above the ~300,000 relations of 841 schemas (about 200 MB of shared
  # memory, an estimate).
  parameter {
    name         = "max_locks_per_transaction"
    value        = "1024"
    apply_method = "pending-reboot"
  }

  # Logging: slow statements, lock waits, temp files, DDL (schema changes are
  # security-relevant: establishments are created by CREATE SCHEMA).
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  parameter {
    name  = "log_temp_files"
    value = "10240"
  }

  parameter {
    name  = "log_autovacuum_min_duration"
    value = "10000"
  }

  parameter {
    name  = "track_io_timing"
    value = "1"
  }

  # Encryption in transit: refuse non-TLS connections.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # 300,000 relations: more autovacuum workers so that a busy schema's tables
  # are not starved while the launcher walks the catalog.
  parameter {
    name         = "autovacuum_max_workers"
    value        = "6"
    apply_method = "pending-reboot"
  }

  # gp3/io2 SSD storage: random reads cost about as much as sequential ones.
  parameter {
    name  = "random_page_cost"
    value = "1.1"
  }

  # 16 MB per sort/hash node; with at most ~550 backends this stays a
  # small share of memory even when several nodes run at once.
  parameter {
    name  = "work_mem"
    value = "16384"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "postgresql" {
  for_each = toset(compact([
    "${var.name}-postgres",
    var.create_replica ? "${var.name}-postgres-replica" : "",
  ]))

  name              = "/aws/rds/instance/${each.value}/postgresql"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.name}-rds-enhanced-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "primary" {
  #checkov:skip=CKV_AWS_157:Multi-AZ is var.multi_az, which has no default: production passes true (tests/infra/test_terraform.py fails otherwise), staging passes false to halve its cost
  identifier     = "${var.name}-postgres"
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.db_name
  username = var.username
  password = var.password
  port     = 5432

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  parameter_group_name = aws_db_parameter_group.main.name

  # Automated backups enable point-in-time recovery to any second within the
  # retention period (see docs/operations.md, "Restore the whole database").
  backup_retention_period   = var.backup_retention_period
  backup_window             = "01:00-02:00"
  maintenance_window        = "sun:02:30-sun:03:30"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-postgres-final"

  auto_minor_version_upgrade          = true
  allow_major_version_upgrade         = false
  iam_database_authentication_enabled = true

  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  monitoring_interval                   = 30
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days

  tags       = merge(var.tags, { Role = "primary" })
  depends_on = [aws_cloudwatch_log_group.postgresql]
}

# Read replica: reporting, exports and region-wide statistics read here so the
# primary keeps its capacity for the schools' requests. It is also the
# fastest recovery path if the primary's region-wide data is corrupted by an
# operator (promote it, then repoint DATABASE_URL).
resource "aws_db_instance" "replica" {
  #checkov:skip=CKV_AWS_133:a read replica's data is the primary's, which has automated backups and PITR (backup_retention_period of the primary); backups are turned on when a replica is promoted
  #checkov:skip=CKV_AWS_157:a read replica needs no standby of its own: losing it costs reporting capacity only and RDS rebuilds it from the Multi-AZ primary
  count = var.create_replica ? 1 : 0

  identifier          = "${var.name}-postgres-replica"
  replicate_source_db = aws_db_instance.primary.identifier
  instance_class      = var.replica_instance_class

  storage_type      = "gp3"
  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  # The replica itself is single-AZ: losing it costs reporting capacity only,
  # and RDS recreates it from the primary.
  multi_az               = false
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  ca_cert_identifier     = "rds-ca-rsa2048-g1"
  parameter_group_name   = aws_db_parameter_group.main.name

  # Backups and point-in-time recovery are the primary's. Promoting the
  # replica (`aws rds promote-read-replica --backup-retention-period 35`)
  # turns them on for it.
  backup_retention_period = 0
  copy_tags_to_snapshot   = true
  deletion_protection     = var.deletion_protection
  skip_final_snapshot     = true

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true

  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  monitoring_interval                   = 30
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days

  tags       = merge(var.tags, { Role = "replica" })
  depends_on = [aws_cloudwatch_log_group.postgresql]
}
