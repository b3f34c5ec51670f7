"""The demo's news and notices (mbn_platform/demo/news.py): each school's public, targeted and
scheduled items; the notice to the guardians of 4e B half acknowledged, Claire Martin's still to
acknowledge (her persona sees it); idempotent."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from mbn_platform.demo.news import NOTICE, demo_news_seed
from shared_apps.identity.models import User
from tenant_apps.news.models import NewsItem, NewsState, NoticeRecipient, Visibility
from tests.conftest import client_for


def test_each_school_has_its_news_and_the_college_a_notice_half_acknowledged(demo, db):
    claire = User.objects.get(login="claire.martin")
    for _school, establishment, _people in demo.schools():
        with tenant_context(establishment):
            states = set(NewsItem.objects.values_list("visibility", "state"))
            assert (Visibility.PUBLIC, NewsState.PUBLISHED) in states
            assert (Visibility.MEMBERS, NewsState.SCHEDULED) in states
    _school, college, people = demo.schools()[0]
    with tenant_context(college):
        assert NewsItem.objects.filter(visibility=Visibility.TARGETED, state=NewsState.PUBLISHED).exists()
        rows = NoticeRecipient.objects.filter(notice__title=NOTICE)
        done = rows.filter(acknowledged_at__isnull=False).count()
        assert 0 < done < rows.count()
        mine = rows.get(guardian__user_id=claire.pk)
        assert mine.acknowledged_at is None
        notice_id = mine.notice_id
    assert demo_news_seed(college, people, "4e B") == 0
    claire_client = client_for(claire, college)
    assert "to acknowledge" in claire_client.get("/notices/").content.decode()
    assert "I have read this notice" in claire_client.get(f"/notices/{notice_id}/").content.decode()
    portal = client_for(None, None).get("/").content.decode()
    assert "Journée portes ouvertes du Collège Louis Pasteur" in portal
