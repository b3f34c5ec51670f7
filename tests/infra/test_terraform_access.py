"""Invariants of the Terraform deployment: who may reach what (policies, roles, keys), the network
(load balancer, certificate, DNS), secrets, logs and alarms, the services. See test_terraform.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.infra.terraform_reading import (
    ENVIRONMENTS,
    MODULES,
    Block,
    as_list,
    blocks,
    first,
    locals_of,
    module_calls,
    one,
    refers_to,
    resources,
    variables,
)


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
