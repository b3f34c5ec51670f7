"""The current database, as far as an import is concerned: the establishment's records,
memberships and accounts, its members' classes (a handful of bulk queries, whatever the size).
Both the people's plan (``planning.py``) and the structure's (``structure_planning.py``) read it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django_tenants.utils import schema_context

from shared_apps.directory.models import DirectoryRecord
from shared_apps.directory.parsers.model import FAMILY_ROLES, SCOPED_ID_PREFIX, Directory, name_key
from shared_apps.directory.plan import Account
from shared_apps.directory.school_roll import school_roll
from shared_apps.identity.models import Membership, User
from tenants.models import Establishment


class ImportState:
    """The current database, as far as the import is concerned (bulk queries)."""

    def __init__(self, establishment: Establishment, directory: Directory) -> None:
        self.establishment = establishment
        people = directory.people
        nids = {p.national_id for p in people if p.national_id}
        nids |= {s.national_id for s in directory.skipped if s.national_id}
        emails = {p.email.lower() for p in people if p.email}
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.records_by_user: dict[tuple[str, int], dict[str, Any]] = {}
        records: list[dict[str, Any]] = [
            dict(rec)
            for rec in DirectoryRecord.objects.filter(establishment=establishment).values(
                "pk", "family", "source_id", "user_id", "birth_date"
            )
        ]
        for rec in records:
            if rec["source_id"]:
                self.records[(rec["family"], rec["source_id"])] = rec
            self.records_by_user[(rec["family"], rec["user_id"])] = rec
        # Scoped ids (an académie's) known in another establishment: the same person.
        scoped = {p.source_id for p in people if p.source_id.startswith(SCOPED_ID_PREFIX)}
        self.scoped_records: dict[tuple[str, str], int] = {}
        if scoped:
            for family, source_id, user_id in (
                DirectoryRecord.objects.filter(source_id__in=scoped)
                .exclude(establishment=establishment)
                .values_list("family", "source_id", "user_id")
            ):
                self.scoped_records[(family, source_id)] = user_id
        self.memberships: dict[int, dict[str, str]] = defaultdict(dict)
        for user_id, role, status in Membership.objects.filter(establishment=establishment).values_list(
            "user_id", "role", "status"
        ):
            self.memberships[user_id][role] = status
        known = set(self.memberships) | {r["user_id"] for r in self.records_by_user.values()}
        user_filter = Q(pk__in=known | set(self.scoped_records.values()))
        if nids:
            user_filter |= Q(national_id__in=nids)
        if emails:
            user_filter |= Q(email_lower__in=emails)
        self.accounts: dict[int, Account] = {}
        self.by_national_id: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for pk, first, last, email, nid in (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(user_filter)
            .values_list("pk", "first_name", "last_name", "email", "national_id")
        ):
            self.accounts[pk] = Account(first, last, email, nid)
            if nid:
                self.by_national_id[nid] = pk
            if email:
                self.by_email[email.lower()] = pk
        with schema_context(establishment.schema_name):
            self.member_class: dict[int, str] = school_roll().member_classes()
        # Members of E per family, by names, for matching step 3.
        self.by_names: dict[tuple[str, tuple[str, str]], list[int]] = defaultdict(list)
        for user_id, roles in self.memberships.items():
            account = self.accounts.get(user_id)
            if account is None:
                continue
            key = (name_key(account.last_name), name_key(account.first_name))
            for family, family_roles in FAMILY_ROLES.items():
                if family_roles & roles.keys():
                    self.by_names[(family, key)].append(user_id)

    def birth_date(self, family: str, user_id: int) -> str:
        rec = self.records_by_user.get((family, user_id))
        value: date | None = rec["birth_date"] if rec else None
        return value.isoformat() if value else ""
