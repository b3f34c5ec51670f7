"""Reads of the académies' feeds for the operators' console (a bounded number of queries a page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from mbn_platform.kernel.lookups import get_or_404
from shared_apps.directory.models import AafFeed, AafFile, AafRun, DirectoryImport

FILES_SHOWN = 40
RUNS_SHOWN = 10


@dataclass
class FeedOverview:
    feed: AafFeed
    last_run: AafRun | None


def feeds_overview() -> list[FeedOverview]:
    feeds = list(AafFeed.objects.all())
    last: dict[int, AafRun] = {}
    for run in (
        AafRun.objects.filter(feed__in=feeds).order_by("feed_id", "-created_at", "-pk").distinct("feed_id")
    ):
        last[run.feed_id] = run
    return [FeedOverview(feed, last.get(feed.pk)) for feed in feeds]


def feed_get(*, feed_id: int) -> AafFeed:
    return get_or_404(AafFeed.objects.all(), pk=feed_id)


def feed_files(*, feed: AafFeed) -> list[AafFile]:
    """The latest files seen, newest set first."""
    return list(AafFile.objects.filter(feed=feed).order_by("-stamp", "mode", "kind", "number")[:FILES_SHOWN])


def feed_runs(*, feed: AafFeed) -> list[AafRun]:
    return list(AafRun.objects.filter(feed=feed).order_by("-created_at", "-pk")[:RUNS_SHOWN])


def run_get(*, run_id: int) -> AafRun:
    reports = (
        DirectoryImport.objects.defer("content")
        .select_related("establishment")
        .order_by("establishment__uai")
    )
    queryset = AafRun.objects.select_related("feed").prefetch_related(Prefetch("imports", queryset=reports))
    return get_or_404(queryset, pk=run_id)
