"""Running a feed: its next set of files, in order, one run at a time (a PostgreSQL advisory lock
per feed, held by the process running it: a killed worker releases it).

A run reads every file of its set first: a partial set (a kind missing, a number skipped) or a
file that cannot be read (truncated…) refuses the run, and nothing changes. Then, in one
transaction, it updates what the académie said (``state.py``) and previews each establishment's
directory (``DirectoryImport``, kept: counts, samples, skipped rows, errors). Then it applies them
one by one, each in its own transaction (the school import's run: idempotent, audited, activation
e-mails queued). A run stopped midway (a worker lost, a feed paused) is resumed by the next tick:
what was applied is not applied again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from shared_apps.directory.aaf.names import COMPLETE, FileName, file_name_parse, set_missing, set_order
from shared_apps.directory.aaf.reader import aaf_file_read
from shared_apps.directory.aaf.sets import directories_complete, directories_delta, id_prefix
from shared_apps.directory.aaf.sources import SourceFile, feed_source
from shared_apps.directory.aaf.state import (
    ALL_KEPT,
    state_complete,
    state_copy,
    state_delta,
    state_load,
    state_save,
)
from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import (
    AafFeed,
    AafFile,
    AafRun,
    DirectoryImport,
    FeedRunStatus,
    ImportStatus,
)
from shared_apps.directory.parsers.model import RowError
from shared_apps.directory.previewing import DirectoryFilesInvalid, directory_preview
from tenants.models import Establishment

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7302  # pg_try_advisory_lock(namespace, feed id)
MAX_ATTEMPTS = 3  # a run failing for some establishments is retried this many times, then passed
UNFINISHED = (FeedRunStatus.PREPARING, FeedRunStatus.APPLYING, FeedRunStatus.FAILED)


@contextmanager
def feed_lock(feed_id: int) -> Iterator[bool]:
    """True when this process holds the feed (until the block ends, or the process dies)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, feed_id])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, feed_id])


def aaf_feed_run(*, feed_id: int) -> list[AafRun]:
    """Resume the feed's unfinished run, then read its next sets in order, until one is not
    applied. Nothing when the feed is paused or another process runs it."""
    runs: list[AafRun] = []
    with feed_lock(feed_id) as locked:
        feed = AafFeed.objects.filter(pk=feed_id, paused=False).first()
        if not locked or feed is None:
            return runs
        unfinished = (
            feed.runs.filter(status__in=UNFINISHED, attempts__lt=MAX_ATTEMPTS).order_by("created_at").first()
        )
        if unfinished is not None:
            runs.append(_resume(unfinished))
            if runs[-1].status != FeedRunStatus.APPLIED:
                return runs
        source = feed_source(feed.location)
        listing = _scan(feed, source.files())
        while (next_set := _next_set(feed, listing)) is not None:
            run = _start(feed, next_set)
            runs.append(run)
            if run.status != FeedRunStatus.APPLIED:
                break
    return runs


def _scan(feed: AafFeed, files: list[SourceFile]) -> dict[str, tuple[SourceFile, FileName]]:
    """The feed's AAF files (others are ignored), each recorded once (again when replaced)."""
    listing = {}
    known = {f.name: f for f in AafFile.objects.filter(feed=feed)}
    for file in files:
        parsed = file_name_parse(file.name)
        if parsed is None:
            continue
        listing[file.name] = (file, parsed)
        seen = known.get(file.name)
        fields = {"stamp": parsed.stamp, "mode": parsed.mode, "kind": parsed.kind, "number": parsed.number}
        if seen is None:
            AafFile.objects.create(feed=feed, name=file.name, size=file.size, version=file.version, **fields)
        elif seen.version != file.version:
            AafFile.objects.filter(pk=seen.pk).update(
                size=file.size, version=file.version, seen_at=timezone.now()
            )
    AafFeed.objects.filter(pk=feed.pk).update(checked_at=timezone.now())
    return listing


def _versions(files: list[tuple[SourceFile, FileName]]) -> list[str]:
    return sorted(f"{source.name}:{source.version}" for source, _name in files)


def _next_set(
    feed: AafFeed, listing: dict[str, tuple[SourceFile, FileName]]
) -> list[tuple[SourceFile, FileName]] | None:
    """The next set to read: the newest complete set if it is newer than the last one applied
    (the deltas before it are superseded), else the first delta after what was applied. A set
    refused (or passed after failing) is read again only once its files change."""
    sets: dict[tuple[str, int], list[tuple[SourceFile, FileName]]] = {}
    for source, name in listing.values():
        sets.setdefault(name.set_key, []).append((source, name))
    runs = list(feed.runs.values("stamp", "mode", "status", "files", "attempts"))
    done = {
        (r["stamp"], 0 if r["mode"] == COMPLETE else 1)
        for r in runs
        if r["status"] == FeedRunStatus.APPLIED
        or (r["status"] == FeedRunStatus.FAILED and r["attempts"] >= MAX_ATTEMPTS)
    }
    tried = {((r["stamp"], 0 if r["mode"] == COMPLETE else 1), tuple(r["files"])) for r in runs}
    last_complete = max((key for key in done if key[1] == 0), default=None)
    completes = [key for key in sets if key[1] == 0 and (last_complete is None or key > last_complete)]
    if completes:
        candidates = [max(completes)]
    elif last_complete is None:
        return None  # deltas wait for a first complete set
    else:
        last = max(done)
        candidates = sorted(key for key in sets if key[1] == 1 and key > last)
    for key in candidates:
        files = sets[key]
        if (key, tuple(_versions(files))) in tried:
            return None  # refused (or given up) with these very files: wait for new ones
        return files
    return None


def _start(feed: AafFeed, files: list[tuple[SourceFile, FileName]]) -> AafRun:
    names = [name for _source, name in files]
    run = AafRun.objects.create(
        feed=feed, stamp=names[0].stamp, mode=names[0].mode, files=_versions(files), attempts=1
    )
    AafFile.objects.filter(feed=feed, name__in=[n.name for n in names]).update(run=run)
    _prepare(run, files)
    if run.status == FeedRunStatus.APPLYING:
        _apply(run)
    return run


def _refuse(run: AafRun, errors: list[RowError]) -> None:
    run.status, run.finished_at = FeedRunStatus.REFUSED, timezone.now()
    run.errors = [e.as_dict() for e in errors]
    run.save(update_fields=["status", "finished_at", "errors"])
    audit_record(
        actor=None,
        action="directory.feed_run_refused",
        target=run,
        details={"academie": run.feed.academie, "stamp": run.stamp, "mode": run.mode, "errors": len(errors)},
    )


def _prepare(run: AafRun, files: list[tuple[SourceFile, FileName]]) -> None:
    names = [name for _source, name in files]
    missing = set_missing(names)
    if missing:
        message = _("A partial set: %(missing)s missing. Nothing was changed.") % {
            "missing": ", ".join(missing)
        }
        _refuse(run, [RowError("", None, "files", message)])
        return
    source = feed_source(run.feed.location)
    by_name = {name.name: src for src, name in files}
    reads = [
        aaf_file_read(name.name, source.chunks(by_name[name.name].key), kind=name.kind, kept=ALL_KEPT)
        for name in set_order(names)
    ]
    errors = [error for read in reads for error in read.errors]
    if errors:
        _refuse(run, errors)
        return
    complete = run.mode == COMPLETE
    with transaction.atomic():
        entries = state_load(run.feed)
        before = state_copy(entries)
        change = state_complete(entries, reads) if complete else state_delta(entries, reads)
        prefix = id_prefix(run.feed.academie)
        built, notes = (
            directories_complete(entries, prefix=prefix)
            if complete
            else directories_delta(entries, change, prefix=prefix)
        )
        state_save(run.feed, entries, before)
        run.notes = [e.as_dict() for read in reads for e in read.skipped] + [
            e.as_dict() for e in change.notes
        ]
        run.notes += [{"file": "", "line": None, "field": "", "message": note} for note in notes]
        establishments = {e.uai: e for e in Establishment.objects.filter(uai__in=[b.uai for b in built])}
        for item in built:
            establishment = establishments.get(item.uai)
            if establishment is None or establishment.academie != run.feed.academie:
                message = _("Establishment %(uai)s is not one of the académie's here: left out.") % {
                    "uai": item.uai
                }
                run.notes.append({"file": "", "line": None, "field": "uai", "message": message})
                continue
            # A refused one is kept, failed, with its errors: the establishment's report says why.
            with suppress(DirectoryFilesInvalid):
                directory_preview(
                    actor=None, establishment=establishment, directory=item.directory, feed_run_id=run.pk
                )
        run.status = FeedRunStatus.APPLYING
        run.save(update_fields=["status", "notes"])
        audit_record(
            actor=None,
            action="directory.feed_run_prepared",
            target=run,
            details={"academie": run.feed.academie, "stamp": run.stamp, "mode": run.mode, "files": run.files},
        )


def _resume(run: AafRun) -> AafRun:
    AafRun.objects.filter(pk=run.pk).update(attempts=run.attempts + 1)
    run.refresh_from_db()
    if run.status == FeedRunStatus.PREPARING:  # its transaction was lost: read the set again
        feed = run.feed
        listing = _scan(feed, feed_source(feed.location).files())
        files = [listing[name.split(":", 1)[0]] for name in run.files if name.split(":", 1)[0] in listing]
        if _versions(files) != run.files:
            _refuse(
                run,
                [RowError("", None, "files", _("The set's files changed while it was read: read again."))],
            )
            return run
        _prepare(run, files)
    if run.status in (FeedRunStatus.APPLYING, FeedRunStatus.FAILED):
        _apply(run)
    return run


def _apply(run: AafRun) -> None:
    """Each establishment's import, one at a time; what is applied is not applied again."""
    pending = (
        run.imports.exclude(status=ImportStatus.APPLIED).exclude(content={}).order_by("establishment__uai")
    )
    for number, import_id in enumerate(pending.values_list("pk", flat=True)):
        if number and settings.AAF_APPLY_PAUSE_SECONDS:
            time.sleep(settings.AAF_APPLY_PAUSE_SECONDS)
        if AafFeed.objects.filter(pk=run.feed_id, paused=True).exists():
            return  # paused: the run stays as it is, resumed once the feed is
        directory_import_run(import_id)
    imports = list(run.imports.values_list("status", "counts", "content"))
    applied = [counts for status, counts, _content in imports if status == ImportStatus.APPLIED]
    failed = sum(1 for status, _counts, content in imports if status != ImportStatus.APPLIED and content)
    refused = sum(1 for status, _counts, content in imports if status == ImportStatus.FAILED and not content)
    run.counts = {
        "establishments": len(imports),
        "applied": len(applied),
        "failed": failed,
        "refused": refused,
        **{
            key: sum(c.get(key, 0) for c in applied)
            for key in ("created", "linked", "updated", "departed", "skipped")
        },
    }
    run.status = FeedRunStatus.FAILED if failed else FeedRunStatus.APPLIED
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "status", "finished_at"])
    audit_record(
        actor=None,
        action="directory.feed_run_applied" if not failed else "directory.feed_run_failed",
        target=run,
        details={"academie": run.feed.academie, "stamp": run.stamp, "mode": run.mode, "counts": run.counts},
    )


def aaf_run_imports(run: AafRun) -> list[DirectoryImport]:
    """The run's per-establishment reports, without their content."""
    return list(run.imports.defer("content").select_related("establishment").order_by("establishment__uai"))
