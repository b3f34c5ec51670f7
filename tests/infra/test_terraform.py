"""Invariants of the Terraform deployment (infra/terraform), read from the HCL itself.

No provider and no cloud account are needed: every .tf file is parsed with python-hcl2 and the
settings that matter for security and durability are asserted where they are written. Each test
names the setting it guards and fails if that setting is removed or weakened.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

REPO = Path(__file__).resolve().parents[2]
TF_ROOT = REPO / "infra" / "terraform"
MODULES = TF_ROOT / "modules"
ENVIRONMENTS = ("staging", "production")


# --- Parsing -------------------------------------------------------------------------------------
def _unquote(value: Any) -> Any:
    """python-hcl2 >= 7 keeps the quotes of string literals; older releases drop them."""
    if isinstance(value, dict):
        return {
            _unquote(k): _unquote(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")
        }
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@dataclass(frozen=True)
class Block:
    kind: str  # resource, data
    type: str  # aws_db_instance, ...
    name: str
    body: dict[str, Any]
    path: Path

    @property
    def address(self) -> str:
        return f"{self.path.relative_to(TF_ROOT)}: {self.type}.{self.name}"


@functools.cache
def load_tf(path: Path) -> dict[str, Any]:
    """Parsed once per file and run (callers only read the result)."""
    with path.open(encoding="utf-8") as handle:
        parsed: dict[str, Any] = _unquote(hcl2.load(handle))
    return parsed


def tf_files(directory: Path = TF_ROOT) -> list[Path]:
    return sorted(p for p in directory.rglob("*.tf") if ".terraform" not in p.parts)


def blocks(kind: str, type_: str | None = None, directory: Path = TF_ROOT) -> list[Block]:
    found = []
    for path in tf_files(directory):
        for entry in load_tf(path).get(kind, []):
            for block_type, named in entry.items():
                if type_ is not None and block_type != type_:
                    continue
                for name, body in named.items():
                    found.append(Block(kind, block_type, name, body, path))
    return found


def resources(type_: str, directory: Path = TF_ROOT) -> list[Block]:
    return blocks("resource", type_, directory)


def one(type_: str, name: str, directory: Path, kind: str = "resource") -> Block:
    matches = [b for b in blocks(kind, type_, directory) if b.name == name]
    assert len(matches) == 1, f"expected one {type_}.{name} under {directory}, found {len(matches)}"
    return matches[0]


def module_calls(environment: str) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for path in tf_files(TF_ROOT / "environments" / environment):
        for entry in load_tf(path).get("module", []):
            calls.update(entry)
    return calls


def variables(module: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in tf_files(MODULES / module):
        for entry in load_tf(path).get("variable", []):
            found.update(entry)
    return found


def locals_of(directory: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path in tf_files(directory):
        for entry in load_tf(path).get("locals", []):
            found.update(entry)
    return found


def first(body: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested block (python-hcl2 gives a list of bodies)."""
    value = body.get(key)
    assert isinstance(value, list) and value, f"missing block {key!r}"
    assert isinstance(value[0], dict)
    return value[0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def refers_to(expression: Any, reference: str) -> bool:
    """Whether an expression (a "${...}" string) references e.g. `aws_s3_bucket.this`."""
    return isinstance(expression, str) and re.search(rf"\b{re.escape(reference)}\b", expression) is not None


# --- The files parse ------------------------------------------------------------------------------
def test_the_deployment_has_modules_and_one_root_per_environment() -> None:
    for environment in ENVIRONMENTS:
        calls = module_calls(environment)
        assert {"network", "database", "cache", "storage", "secrets", "edge", "app", "monitoring"} <= set(
            calls
        )
        for call in calls.values():
            assert call["source"].startswith("../../modules/")


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: str(p.relative_to(TF_ROOT)))
def test_every_terraform_file_parses(path: Path) -> None:
    assert isinstance(load_tf(path), dict)


# --- PostgreSQL -----------------------------------------------------------------------------------
def db_instances() -> list[Block]:
    found = resources("aws_db_instance")
    assert found, "no aws_db_instance found"
    return found


def test_every_rds_instance_is_encrypted_and_private() -> None:
    for instance in db_instances():
        assert instance.body.get("storage_encrypted") is True, instance.address
        assert instance.body.get("kms_key_id"), instance.address
        assert instance.body.get("publicly_accessible") is False, instance.address


def test_production_database_is_multi_az() -> None:
    # The module's primary takes multi_az from a variable without a default ...
    primary = one("aws_db_instance", "primary", MODULES / "database")
    assert refers_to(primary.body.get("multi_az"), "var.multi_az")
    assert "default" not in variables("database")["multi_az"]
    # ... which the production root sets to true.
    assert module_calls("production")["database"].get("multi_az") is True


def test_production_has_a_read_replica_of_the_primary() -> None:
    replica = one("aws_db_instance", "replica", MODULES / "database")
    assert refers_to(replica.body.get("replicate_source_db"), "aws_db_instance.primary")
    assert module_calls("production")["database"].get("create_replica") is True


def test_automated_backups_and_point_in_time_recovery_are_on() -> None:
    primary = one("aws_db_instance", "primary", MODULES / "database")
    assert refers_to(primary.body.get("backup_retention_period"), "var.backup_retention_period")
    assert primary.body.get("deletion_protection") is not False
    assert primary.body.get("skip_final_snapshot") is False
    retention = variables("database")["backup_retention_period"]
    assert retention.get("default", 0) > 0
    assert retention.get("validation"), "backup_retention_period must be validated >= 1"
    for environment in ENVIRONMENTS:
        passed = module_calls(environment)["database"].get("backup_retention_period", retention["default"])
        assert isinstance(passed, int) and passed > 0, environment
    # Instances other than replicas keep their own backups.
    for instance in db_instances():
        if "replicate_source_db" not in instance.body:
            assert "backup_retention_period" in instance.body, instance.address


def db_parameters() -> dict[str, Any]:
    group = one("aws_db_parameter_group", "main", MODULES / "database")
    return {p["name"]: p["value"] for p in group.body["parameter"]}


def test_parameter_group_has_the_settings_the_brief_asks_for() -> None:
    parameters = db_parameters()
    assert "pg_stat_statements" in parameters["shared_preload_libraries"]
    assert refers_to(parameters["max_connections"], "var.max_connections")
    # Idle sessions are closed by the server: catalog caches do not live forever.
    assert refers_to(parameters["idle_session_timeout"], "var.idle_session_timeout_ms")
    assert int(variables("database")["idle_session_timeout_ms"]["default"]) > 0
    assert int(parameters["idle_in_transaction_session_timeout"]) > 0
    assert int(parameters["log_min_duration_statement"]) > 0
    assert int(parameters["max_locks_per_transaction"]) >= 256
    assert parameters["rds.force_ssl"] == "1"
    for instance in db_instances():
        assert refers_to(instance.body.get("parameter_group_name"), "aws_db_parameter_group.main"), (
            instance.address
        )


def test_database_accepts_connections_from_the_app_only() -> None:
    rules = resources("aws_vpc_security_group_ingress_rule", MODULES / "database")
    assert rules
    for rule in rules:
        assert "cidr_ipv4" not in rule.body, rule.address
        assert refers_to(rule.body.get("referenced_security_group_id"), "var.allowed_security_group_ids")


# --- S3 -----------------------------------------------------------------------------------------
def buckets() -> list[Block]:
    found = resources("aws_s3_bucket")
    assert len(found) >= 2, "expected the data-bucket module and the log bucket"
    return found


def attached_to(bucket: Block, type_: str) -> list[Block]:
    """Resources of type_ in the bucket's file whose `bucket` argument is that bucket."""
    return [
        r
        for r in resources(type_, bucket.path.parent)
        if refers_to(r.body.get("bucket"), f"aws_s3_bucket.{bucket.name}")
    ]


def test_storage_has_documents_exports_and_backups_buckets() -> None:
    calls: dict[str, Any] = {}
    for path in tf_files(MODULES / "storage"):
        for entry in load_tf(path).get("module", []):
            calls.update(entry)
    assert {"documents", "exports", "backups"} <= set(calls)
    for call in calls.values():
        assert call["source"] == "../bucket"
    assert calls["backups"].get("object_lock_days")


def test_every_bucket_blocks_public_access() -> None:
    for bucket in buckets():
        blocks_ = attached_to(bucket, "aws_s3_bucket_public_access_block")
        assert len(blocks_) == 1, bucket.address
        for flag in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ):
            assert blocks_[0].body.get(flag) is True, f"{bucket.address}: {flag}"


def test_every_bucket_is_encrypted() -> None:
    for bucket in buckets():
        configs = attached_to(bucket, "aws_s3_bucket_server_side_encryption_configuration")
        assert len(configs) == 1, bucket.address
        default = first(first(configs[0].body, "rule"), "apply_server_side_encryption_by_default")
        assert default.get("sse_algorithm") in ("aws:kms", "AES256"), bucket.address


def test_data_buckets_are_encrypted_with_the_kms_key() -> None:
    bucket = one("aws_s3_bucket", "this", MODULES / "bucket")
    (config,) = attached_to(bucket, "aws_s3_bucket_server_side_encryption_configuration")
    default = first(first(config.body, "rule"), "apply_server_side_encryption_by_default")
    assert default["sse_algorithm"] == "aws:kms"
    assert refers_to(default.get("kms_master_key_id"), "var.kms_key_arn")


def test_every_bucket_is_versioned() -> None:
    for bucket in buckets():
        versionings = attached_to(bucket, "aws_s3_bucket_versioning")
        assert len(versionings) == 1, bucket.address
        assert first(versionings[0].body, "versioning_configuration").get("status") == "Enabled", (
            bucket.address
        )


def test_every_bucket_has_lifecycle_rules_that_abort_incomplete_uploads() -> None:
    for bucket in buckets():
        lifecycles = attached_to(bucket, "aws_s3_bucket_lifecycle_configuration")
        assert len(lifecycles) == 1, bucket.address
        rules = lifecycles[0].body["rule"]
        assert any(r.get("status") == "Enabled" and r.get("abort_incomplete_multipart_upload") for r in rules)


def test_every_bucket_refuses_plain_http_and_acls() -> None:
    for bucket in buckets():
        (ownership,) = attached_to(bucket, "aws_s3_bucket_ownership_controls")
        assert first(ownership.body, "rule")["object_ownership"] == "BucketOwnerEnforced", bucket.address
        assert len(attached_to(bucket, "aws_s3_bucket_policy")) == 1, bucket.address
    for document in blocks("data", "aws_iam_policy_document", MODULES / "bucket"):
        deny = [s for s in document.body["statement"] if s.get("effect") == "Deny"]
        assert any(first(s, "condition")["variable"] == "aws:SecureTransport" for s in deny)


# --- IAM ------------------------------------------------------------------------------------------
def key_policy_documents() -> set[tuple[Path, str]]:
    """Policy documents used as KMS key policies: there "*" as resource means the key itself."""
    found = set()
    for key in resources("aws_kms_key"):
        match = re.search(r"data\.aws_iam_policy_document\.(\w+)", key.body.get("policy", ""))
        assert match, f"{key.address}: key policy must come from an aws_iam_policy_document"
        found.add((key.path.parent, match.group(1)))
    return found


def allow_statements() -> Iterator[tuple[Block, dict[str, Any]]]:
    documents = blocks("data", "aws_iam_policy_document")
    assert documents
    for document in documents:
        for statement in document.body.get("statement", []):
            if statement.get("effect", "Allow") == "Allow":
                yield document, statement


def test_no_policy_grants_every_action_or_all_of_s3_on_every_resource() -> None:
    for document, statement in allow_statements():
        actions = as_list(statement.get("actions", []))
        resources_ = as_list(statement.get("resources", []))
        assert "*" not in actions, document.address
        assert "s3:*" not in actions or "*" not in resources_, document.address
        assert "iam:*" not in actions, document.address
        assert "not_actions" not in statement, document.address


def test_outside_key_policies_no_service_wildcard_on_every_resource() -> None:
    key_policies = key_policy_documents()
    for document, statement in allow_statements():
        if (document.path.parent, document.name) in key_policies:
            continue
        if "*" in as_list(statement.get("resources", [])):
            for action in as_list(statement.get("actions", [])):
                assert not action.endswith(":*"), f"{document.address}: {action} on *"
                assert "*" not in action, f"{document.address}: {action} on *"


def test_every_inline_policy_comes_from_a_policy_document() -> None:
    """So that the two tests above see every policy."""
    for type_ in ("aws_iam_role_policy", "aws_iam_policy"):
        for policy in resources(type_):
            assert refers_to(policy.body.get("policy"), "data.aws_iam_policy_document"), policy.address
    for role in resources("aws_iam_role"):
        assert refers_to(role.body.get("assume_role_policy"), "data.aws_iam_policy_document"), role.address
    for attachment in resources("aws_iam_role_policy_attachment"):
        assert attachment.body["policy_arn"].endswith("/service-role/AmazonRDSEnhancedMonitoringRole")


def test_the_apps_role_reaches_only_its_buckets_and_key() -> None:
    app = MODULES / "app"
    role_policy = one("aws_iam_role_policy", "task", app)
    assert refers_to(role_policy.body["role"], "aws_iam_role.task")
    assert refers_to(role_policy.body["policy"], "data.aws_iam_policy_document.task")
    document = one("aws_iam_policy_document", "task", app, kind="data")
    for statement in document.body["statement"]:
        for action in as_list(statement["actions"]):
            assert action.split(":")[0] in ("s3", "kms"), action
            assert "*" not in action, action
        resources_ = as_list(statement["resources"])
        assert resources_
        for resource in resources_:
            assert refers_to(resource, "var.bucket_arns") or refers_to(resource, "var.kms_key_arn"), resource
    # Only the storage buckets are handed to it.
    for environment in ENVIRONMENTS:
        assert refers_to(module_calls(environment)["app"]["bucket_arns"], "module.storage.bucket_arns")


def test_the_execution_role_reads_only_the_apps_secrets() -> None:
    document = one("aws_iam_policy_document", "execution", MODULES / "app", kind="data")
    for statement in document.body["statement"]:
        if "*" in as_list(statement["resources"]):
            assert as_list(statement["actions"]) == ["ecr:GetAuthorizationToken"]
        if any(a.startswith("secretsmanager:") for a in as_list(statement["actions"])):
            assert refers_to(statement["resources"], "var.secret_arns")


def test_task_and_execution_roles_differ() -> None:
    for definition in resources("aws_ecs_task_definition", MODULES / "app"):
        assert refers_to(definition.body["execution_role_arn"], "aws_iam_role.execution")
        assert refers_to(definition.body["task_role_arn"], "aws_iam_role.task")


# --- ElastiCache ----------------------------------------------------------------------------------
def test_redis_is_encrypted_at_rest_and_in_transit_with_auth() -> None:
    groups = resources("aws_elasticache_replication_group")
    assert groups
    for group in groups:
        assert group.body.get("at_rest_encryption_enabled") is True, group.address
        assert group.body.get("transit_encryption_enabled") is True, group.address
        assert group.body.get("auth_token"), group.address
        assert group.body.get("kms_key_id"), group.address
        assert group.body.get("automatic_failover_enabled") is True, group.address
    assert not resources("aws_elasticache_cluster"), "use a replication group (encryption, failover)"


# --- Load balancer, certificate, DNS --------------------------------------------------------------
def test_alb_serves_https_on_443_with_the_certificate() -> None:
    edge = MODULES / "edge"
    https = [listener for listener in resources("aws_lb_listener", edge) if listener.body.get("port") == 443]
    assert len(https) == 1
    listener = https[0].body
    assert listener["protocol"] == "HTTPS"
    assert refers_to(listener.get("certificate_arn"), "aws_acm_certificate_validation.wildcard")
    assert listener["ssl_policy"].startswith("ELBSecurityPolicy-TLS13")


def test_plain_http_only_redirects_to_https() -> None:
    for listener in resources("aws_lb_listener"):
        if listener.body.get("protocol") == "HTTP":
            action = first(listener.body, "default_action")
            assert action["type"] == "redirect", listener.address
            assert first(action, "redirect")["protocol"] == "HTTPS", listener.address


def test_alb_drops_invalid_headers_and_logs_access() -> None:
    (alb,) = resources("aws_lb")
    assert alb.body.get("drop_invalid_header_fields") is True
    assert first(alb.body, "access_logs").get("enabled") is True
    association = one("aws_wafv2_web_acl_association", "alb", MODULES / "edge")
    assert refers_to(association.body["resource_arn"], "aws_lb.main")


def test_target_group_checks_healthz() -> None:
    (group,) = resources("aws_lb_target_group")
    assert first(group.body, "health_check")["path"] == "/healthz"


def test_wildcard_certificate_covers_schools_and_base_domain() -> None:
    certificates = resources("aws_acm_certificate")
    assert len(certificates) == 1
    certificate = certificates[0].body
    assert certificate["domain_name"] == "${var.base_domain}"
    assert "*.${var.base_domain}" in certificate["subject_alternative_names"]
    assert certificate["validation_method"] == "DNS"


def test_wildcard_and_base_dns_records_point_at_the_alb() -> None:
    records = {r.body["name"]: r.body for r in resources("aws_route53_record") if "alias" in r.body}
    for name in ("*.${var.base_domain}", "${var.base_domain}"):
        assert name in records, name
        assert refers_to(first(records[name], "alias")["name"], "aws_lb.main")


# --- Secrets, logs ----------------------------------------------------------------------------------
def test_secrets_are_in_secrets_manager_with_the_kms_key() -> None:
    secrets = resources("aws_secretsmanager_secret")
    assert secrets
    for secret in secrets:
        assert refers_to(secret.body.get("kms_key_id"), "var.kms_key_arn"), secret.address
    definitions = resources("aws_ecs_task_definition", MODULES / "app")
    app_locals = locals_of(MODULES / "app")
    assert refers_to(app_locals["container_base"]["secrets"], "local.secrets")
    assert refers_to(app_locals["secrets"], "var.secret_arns")
    for definition in definitions:
        assert refers_to(definition.body["container_definitions"], "local.container_base"), definition.address


def test_log_groups_are_encrypted_and_expire() -> None:
    groups = resources("aws_cloudwatch_log_group")
    assert groups
    for group in groups:
        assert refers_to(group.body.get("kms_key_id"), "var.kms_key_arn"), group.address
        assert group.body.get("retention_in_days"), group.address


def test_kms_key_rotates() -> None:
    for key in resources("aws_kms_key"):
        assert key.body.get("enable_key_rotation") is True, key.address


def test_alarms_notify_the_alarm_topic() -> None:
    alarms = resources("aws_cloudwatch_metric_alarm")
    assert len(alarms) >= 10
    for alarm in alarms:
        assert refers_to(alarm.body.get("alarm_actions"), "local.actions"), alarm.address


# --- ECS ------------------------------------------------------------------------------------------
def test_services_run_in_private_subnets_and_autoscale() -> None:
    app = MODULES / "app"
    services = {s.name: s.body for s in resources("aws_ecs_service", app)}
    assert set(services) == {"web", "worker", "beat"}
    for body in services.values():
        assert first(body, "network_configuration")["assign_public_ip"] is False
    targets = {t.name for t in resources("aws_appautoscaling_target", app)}
    assert targets == {"web", "worker"}  # beat is a singleton
    metrics = {
        first(
            first(p.body, "target_tracking_scaling_policy_configuration"), "predefined_metric_specification"
        )["predefined_metric_type"]
        for p in resources("aws_appautoscaling_policy", app)
        if refers_to(p.body["resource_id"], "aws_appautoscaling_target.web")
    }
    assert metrics == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}
    beat = services["beat"]
    assert beat["desired_count"] == 1
    assert beat["deployment_maximum_percent"] == 100  # never two schedulers


def test_containers_run_read_only_as_non_root() -> None:
    base = locals_of(MODULES / "app")["container_base"]
    assert base["readonlyRootFilesystem"] is True
    assert base["privileged"] is False
    assert not str(base["user"]).startswith(("0", "root"))


def test_database_connections_have_a_finite_lifetime_below_the_server_timeout() -> None:
    app_locals = locals_of(MODULES / "app")
    assert "CONN_MAX_AGE" in app_locals["environment"]
    lifetime_s = variables("app")["conn_max_age_seconds"]["default"]
    server_timeout_ms = variables("database")["idle_session_timeout_ms"]["default"]
    assert 0 < lifetime_s * 1000 < server_timeout_ms


# --- Mail (SES) -----------------------------------------------------------------------------------
def test_every_environment_sends_mail_through_ses_with_its_credentials_in_secrets() -> None:
    for environment in ENVIRONMENTS:
        calls = module_calls(environment)
        assert calls["mail"]["source"] == "../../modules/mail"
        app = calls["app"]
        assert refers_to(app["secret_arns"], "module.mail.secret_arns")
        assert refers_to(app["extra_environment"], "module.mail.environment")


def test_the_ses_domain_is_signed_with_dkim_and_aligned_spf_and_dmarc() -> None:
    mail = MODULES / "mail"
    identity = one("aws_sesv2_email_identity", "domain", mail)
    assert first(identity.body, "dkim_signing_attributes")["next_signing_key_length"] == "RSA_2048_BIT"
    assert refers_to(identity.body["configuration_set_name"], "aws_sesv2_configuration_set.app")
    dkim = one("aws_route53_record", "dkim", mail)
    assert dkim.body["count"] == 3 and dkim.body["type"] == "CNAME"
    assert "dkim.amazonses.com" in str(dkim.body["records"])
    assert one("aws_sesv2_email_identity_mail_from_attributes", "domain", mail)
    assert "include:amazonses.com" in str(one("aws_route53_record", "mail_from_spf", mail).body["records"])
    assert "v=DMARC1" in str(one("aws_route53_record", "dmarc", mail).body["records"])
    config = one("aws_sesv2_configuration_set", "app", mail)
    assert first(config.body, "delivery_options")["tls_policy"] == "REQUIRE"
    assert set(first(config.body, "suppression_options")["suppressed_reasons"]) == {"BOUNCE", "COMPLAINT"}


def test_the_smtp_user_may_only_send_from_the_domain() -> None:
    mail = MODULES / "mail"
    policy = one("aws_iam_user_policy", "smtp", mail)
    assert refers_to(policy.body["policy"], "data.aws_iam_policy_document.smtp")
    document = one("aws_iam_policy_document", "smtp", mail, kind="data")
    for statement in document.body["statement"]:
        assert as_list(statement["actions"]) == ["ses:SendRawEmail"]
        for resource in as_list(statement["resources"]):
            assert refers_to(resource, "aws_sesv2_email_identity.domain") or refers_to(
                resource, "aws_sesv2_configuration_set.app"
            )
        assert first(statement, "condition")["variable"] == "ses:FromAddress"


def test_the_smtp_credentials_are_secrets_encrypted_with_the_kms_key() -> None:
    mail = MODULES / "mail"
    secret = one("aws_secretsmanager_secret", "smtp", mail)
    assert refers_to(secret.body["kms_key_id"], "var.kms_key_arn")
    names = locals_of(mail)["secret_names"]
    assert "EMAIL_HOST_USER" in str(names) and "EMAIL_HOST_PASSWORD" in str(names)
    assert "ses_smtp_password_v4" in str(locals_of(mail)["secrets"])
