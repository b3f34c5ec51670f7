"""The operators' console pages of the académies' feeds (base domain, region operators): the feeds,
one feed (its files, runs, pause switch), one run (its report per establishment)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, ValidationFailed
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.directory.aaf.feeds import (
    aaf_feed_create,
    aaf_feed_pause,
    aaf_feed_run_now,
    aaf_feed_update,
    academies,
)
from shared_apps.directory.aaf.selectors import feed_files, feed_get, feed_runs, feeds_overview, run_get
from shared_apps.directory.models import FeedRunStatus
from shared_apps.directory.permissions import FEED_OPERATORS

REPORT_COUNTS = ("created", "linked", "updated", "unchanged", "departed", "conflicts", "skipped")


def _error_text(error: ApplicationError) -> str:
    return "; ".join([error.message, *[m for ms in error.fields.values() for m in ms]])


class FeedListView(RolesRequiredMixin, View):
    required_region_roles = FEED_OPERATORS

    def _render(
        self, request: HttpRequest, *, values: dict[str, str], errors: dict[str, list[str]], status: int = 200
    ) -> HttpResponse:
        overview = feeds_overview()
        taken = {o.feed.academie for o in overview}
        context = {
            "feeds": overview,
            "academies": [a for a in academies() if a not in taken],
            "values": values,
            "errors": errors,
        }
        return render(request, "directory/console/feeds.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, values={}, errors={})

    def post(self, request: HttpRequest) -> HttpResponse:
        values = {name: request.POST.get(name, "") for name in ("academie", "location")}
        try:
            feed = aaf_feed_create(
                actor=actor_of(request), academie=values["academie"], location=values["location"]
            )
        except ApplicationError as error:
            fields = error.fields or {"location": [error.message]}
            return self._render(request, values=values, errors=fields, status=error.status)
        messages.success(request, _("The feed is configured: its files are read every night."))
        return HttpResponseRedirect(reverse("console-feed", args=[feed.pk]))


class FeedDetailView(RolesRequiredMixin, View):
    required_region_roles = FEED_OPERATORS

    def get(self, request: HttpRequest, feed_id: int) -> HttpResponse:
        feed = feed_get(feed_id=feed_id)
        context = {"feed": feed, "files": feed_files(feed=feed), "runs": feed_runs(feed=feed)}
        return render(request, "directory/console/feed.html", context)

    def post(self, request: HttpRequest, feed_id: int) -> HttpResponse:
        feed = feed_get(feed_id=feed_id)
        action, actor = request.POST.get("action", ""), actor_of(request)
        try:
            if action in ("pause", "resume"):
                aaf_feed_pause(actor=actor, feed=feed, paused=action == "pause")
                messages.success(
                    request, _("The feed is paused.") if action == "pause" else _("The feed is resumed.")
                )
            elif action == "location":
                aaf_feed_update(actor=actor, feed=feed, location=request.POST.get("location", ""))
                messages.success(request, _("The location is changed."))
            elif action == "run":
                aaf_feed_run_now(actor=actor, feed=feed)
                messages.success(request, _("The feed's new files are being read."))
            else:
                raise ValidationFailed(fields={"action": [_("Unknown action.")]})
        except ApplicationError as error:
            messages.error(request, _error_text(error))
        return HttpResponseRedirect(reverse("console-feed", args=[feed.pk]))


class FeedRunView(RolesRequiredMixin, View):
    required_region_roles = FEED_OPERATORS

    def get(self, request: HttpRequest, run_id: int) -> HttpResponse:
        run = run_get(run_id=run_id)
        reports = [
            {
                "imp": imp,
                "counts": [(key, (imp.counts or {}).get(key, 0)) for key in REPORT_COUNTS],
                "errors": (imp.errors or [])[:20],
                "skipped": (imp.skipped or [])[:20],
            }
            for imp in run.imports.all()
        ]
        context = {
            "run": run,
            "reports": reports,
            "count_keys": REPORT_COUNTS,
            "running": run.status in (FeedRunStatus.PREPARING, FeedRunStatus.APPLYING),
        }
        return render(request, "directory/console/run.html", context)
