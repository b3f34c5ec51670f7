"""What an académie last said (``AafEntry``), as far as the platform reads it: a complete set
replaces it, a delta changes it (an ``addRequest`` sets an entry, a ``modifyRequest`` replaces the
values it names, a ``deleteRequest`` removes it). Only the attributes of ``KEPT`` are kept (no
address, no phone): what the import needs, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shared_apps.directory.aaf.names import ELEVE, ETAB, MATIERE, PERS_EDUC_NAT, PERS_REL_ELEVE
from shared_apps.directory.aaf.reader import FileRead
from shared_apps.directory.models import AafEntry, AafFeed
from shared_apps.directory.parsers.model import RowError

PERSON = ("ENTPersonJointure", "sn", "ENTPersonNomPatro", "givenName", "ENTPersonDateNaissance", "mail")
KEPT: dict[str, tuple[str, ...]] = {
    ELEVE: (
        *PERSON,
        "ENTEleveINE",
        "ENTEleveStructRattachId",
        "ENTPersonStructRattach",
        "ENTEleveClasses",
        "ENTEleveGroupes",
        "ENTElevePersRelEleve",
        "ENTEleveMEF",
    ),
    PERS_EDUC_NAT: (
        *PERSON,
        "ENTPersonStructRattach",
        "ENTPersonFonctions",
        "ENTAuxEnsClassesMatieres",
        "ENTAuxEnsGroupesMatieres",
    ),
    PERS_REL_ELEVE: PERSON,
    ETAB: (
        "ENTStructureJointure",
        "ENTStructureUAI",
        "ENTEtablissementUAI",
        "ENTStructureNomCourant",
        "ENTStructureClasses",
        "ENTStructureGroupes",
    ),
    MATIERE: ("ENTMatJointure", "ENTLibelleMatiere"),
}
ALL_KEPT = {name for names in KEPT.values() for name in names}
WHERE = "_where"  # the file and line an entry was last set by: [file, line]
BATCH = 2000

Entries = dict[str, dict[str, dict[str, Any]]]  # category -> AAF id -> attributes


@dataclass
class StateChange:
    """What a set changed: the entries before (None: new) of each one it touched."""

    before: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)
    notes: list[RowError] = field(default_factory=list)


def state_load(feed: AafFeed) -> Entries:
    entries: Entries = {category: {} for category in KEPT}
    for category, aaf_id, attrs in AafEntry.objects.filter(feed=feed).values_list(
        "category", "aaf_id", "attrs"
    ):
        entries.setdefault(category, {})[aaf_id] = attrs
    return entries


def _attrs(request_attrs: dict[str, list[str]], category: str, where: list[Any]) -> dict[str, Any]:
    kept = KEPT.get(category, ())
    return {**{k: v for k, v in request_attrs.items() if k in kept}, WHERE: where}


def state_complete(entries: Entries, reads: list[FileRead]) -> StateChange:
    """A complete set: the categories it holds are exactly its entries (in place)."""
    change = StateChange()
    categories = {request.category for read in reads for request in read.requests}
    for category in categories & KEPT.keys():
        entries[category] = {}
    for read in reads:
        for request in read.requests:
            if request.category not in KEPT:
                continue
            entries[request.category][request.aaf_id] = _attrs(
                request.attrs, request.category, [request.file, request.line]
            )
    return change


def state_delta(entries: Entries, reads: list[FileRead]) -> StateChange:
    """A delta, request by request (in place); returns the entries as they were before."""
    change = StateChange()
    for read in reads:
        for request in read.requests:
            if request.category not in KEPT:
                continue
            current = entries.setdefault(request.category, {})
            key = (request.category, request.aaf_id)
            change.before.setdefault(key, current.get(request.aaf_id))
            where = [request.file, request.line]
            if request.op == "add":
                current[request.aaf_id] = _attrs(request.attrs, request.category, where)
            elif request.op == "delete":
                current.pop(request.aaf_id, None)
            elif request.aaf_id in current:
                current[request.aaf_id] = {
                    **current[request.aaf_id],
                    **_attrs(request.attrs, request.category, where),
                }
            else:
                change.notes.append(
                    RowError(
                        request.file,
                        request.line,
                        "identifier",
                        _("A modification of %(id)r, which the académie never sent: left out.")
                        % {"id": request.aaf_id},
                    )
                )
    return change


def state_save(feed: AafFeed, entries: Entries, before: Entries) -> None:
    """Write what changed from ``before`` (in the caller's transaction): a set that changes
    nothing writes nothing. (Where an entry was read is kept from when it last changed.)"""
    removed: dict[str, list[str]] = {}
    added: list[AafEntry] = []
    for category in entries.keys() | before.keys():
        new, old = entries.get(category, {}), before.get(category, {})
        for aaf_id in old.keys() - new.keys():
            removed.setdefault(category, []).append(aaf_id)
        for aaf_id, attrs in new.items():
            previous = old.get(aaf_id)
            if previous is None or _values(previous) != _values(attrs):
                if previous is not None:
                    removed.setdefault(category, []).append(aaf_id)
                added.append(AafEntry(feed=feed, category=category, aaf_id=aaf_id, attrs=attrs))
    for category, ids in removed.items():
        for start in range(0, len(ids), BATCH):
            AafEntry.objects.filter(
                feed=feed, category=category, aaf_id__in=ids[start : start + BATCH]
            ).delete()
    AafEntry.objects.bulk_create(added, batch_size=BATCH)


def _values(attrs: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in attrs.items() if name != WHERE}


def state_copy(entries: Entries) -> Entries:
    """A copy to compare with once a set has changed the entries (their attributes are replaced,
    never changed in place)."""
    return {category: dict(by_id) for category, by_id in entries.items()}
