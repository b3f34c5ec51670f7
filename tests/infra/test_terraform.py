"""Invariants of the Terraform deployment (infra/terraform), read from the HCL itself.

No provider and no cloud account are needed: every .tf file is parsed with python-hcl2 and the
settings that matter for security and durability are asserted where they are written. Each test
names the setting it guards and fails if that setting is removed or weakened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.infra.terraform_reading import (
    ENVIRONMENTS,
    MODULES,
    TF_ROOT,
    Block,
    blocks,
    first,
    load_tf,
    module_calls,
    one,
    refers_to,
    resources,
    tf_files,
    variables,
)


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
