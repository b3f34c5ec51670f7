"""Where an académie's files land (an S3 prefix, through the test S3 server; a folder), what
their names say, and the feed's configuration."""

from __future__ import annotations

from typing import Any

import pytest

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.directory.aaf.feeds import aaf_feed_create, aaf_feed_pause
from shared_apps.directory.aaf.names import COMPLETE, DELTA, file_name_parse, set_missing
from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.models import AafFile, FeedRunStatus
from shared_apps.identity.models import User
from tests.conftest import s3_client
from tests.directory.aaf_data import Agent, Etab, Pupil, Relative, complete_set

BUCKET = "mbn-test-aaf"


@pytest.fixture
def s3_feeds(s3_endpoint: str, settings: Any) -> Any:
    client = s3_client(s3_endpoint)
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.S3_SETTINGS = {
        **settings.S3_SETTINGS,
        "endpoint_url": s3_endpoint,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "eu-west-3",
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def test_a_feed_reads_its_files_from_an_s3_prefix(s3_feeds, school_a):
    feed = aaf_feed_create(actor=None, academie="Strasbourg", location="s3://mbn-test-aaf/strasbourg")
    files = complete_set(
        "20250901",
        [Etab("E-A", school_a.uai, "Collège Alpha")],
        [Pupil("S1", "Garnier", "Zoé", "E-A", "6A", ine="200000001AA", relations=["R1$1$0$1$0$0"])],
        [Relative("R1", "Garnier", "Luc")],
        [Agent("T1", "Lemaire", "Rose", [("E-A", "EDU")])],
    )
    for name, data in files.items():
        s3_feeds.put_object(Bucket=BUCKET, Key=f"strasbourg/{name}", Body=data)
    s3_feeds.put_object(Bucket=BUCKET, Key="strasbourg/README.txt", Body=b"not a feed file")
    s3_feeds.put_object(Bucket=BUCKET, Key="elsewhere/ENT2025_Complet_20250901_Eleve_0001.xml", Body=b"<x/>")

    [run] = aaf_feed_run(feed_id=feed.pk)

    assert feed.location == "s3://mbn-test-aaf/strasbourg/"
    assert run.status == FeedRunStatus.APPLIED, (run.errors, run.notes)
    assert sorted(AafFile.objects.filter(feed=feed).values_list("kind", flat=True)) == sorted(
        ["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat"]
    )
    assert User.objects.filter(last_name__in=["Garnier", "Lemaire"]).count() == 3


def test_names_tell_the_set_and_what_a_set_lacks():
    complete = file_name_parse("ENT2025_Complet_20250901_Eleve_0002.xml")
    delta = file_name_parse("folder/ENT_IT_Delta_20250915_PersEducNat_0001.xml")
    assert complete is not None and (complete.mode, complete.stamp, complete.kind, complete.number) == (
        COMPLETE,
        "20250901",
        "Eleve",
        2,
    )
    assert delta is not None and (delta.mode, delta.kind) == (DELTA, "PersEducNat")
    assert file_name_parse("ENT2025_Complet_20250901_MefEducNat_0001.xml") is None  # not read
    assert file_name_parse("notes.xml") is None
    assert set_missing([complete]) == ["EtabEducNat", "PersRelEleve", "PersEducNat", "Eleve #1"]


def test_a_feed_is_configured_once_per_academie_in_a_place_it_may_read(settings, tmp_path, school_a):
    settings.AAF_FEEDS_ROOT = tmp_path
    for location in ("../etc", "/etc/passwd", "http://example.org/", ""):
        with pytest.raises(ValidationFailed):
            aaf_feed_create(actor=None, academie="Strasbourg", location=location)
    with pytest.raises(ValidationFailed):
        aaf_feed_create(actor=None, academie="Atlantis", location="atlantis")
    feed = aaf_feed_create(actor=None, academie="Strasbourg", location="strasbourg/")
    with pytest.raises(Conflict):
        aaf_feed_create(actor=None, academie="Strasbourg", location="other")

    aaf_feed_pause(actor=None, feed=feed, paused=True)

    assert aaf_feed_run(feed_id=feed.pk) == []  # a paused feed reads nothing
    assert list(
        AuditEntry.objects.filter(target_id=str(feed.pk), action__startswith="directory.feed_")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["directory.feed_configured", "directory.feed_paused"]
