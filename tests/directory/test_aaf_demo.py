"""The demo's académie feed (``mbn_platform/demo/directory.py``): configured, its complete set
applied once, the seeded schools left as they are."""

from __future__ import annotations

from mbn_platform.demo.directory import PUPILS, STAFF, demo_aaf_feed
from shared_apps.directory.models import AafRun, FeedRunStatus
from shared_apps.identity.models import Membership
from tenants.models import Establishment


def test_the_demo_feed_applies_its_complete_set_once(settings, tmp_path, school_a):
    settings.AAF_FEEDS_ROOT = tmp_path
    members_a = Membership.objects.filter(establishment=school_a).count()

    run = demo_aaf_feed()

    assert run is not None and run.status == FeedRunStatus.APPLIED, (run.errors, run.notes)
    sturm = Establishment.objects.get(name="Collège Jean Sturm")
    assert Membership.objects.filter(establishment=sturm).count() == 2 * len(PUPILS) + len(STAFF)
    assert Membership.objects.filter(establishment=school_a).count() == members_a
    assert demo_aaf_feed() == run and AafRun.objects.count() == 1
