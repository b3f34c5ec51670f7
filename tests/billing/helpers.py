"""Billing test helpers: establishments as public rows only (metering and invoicing need no
schema), people with memberships, sessions on given days, a funder with a contract."""

from __future__ import annotations

import datetime
import itertools
import secrets
from decimal import Decimal

from django.utils import timezone

from shared_apps.billing.contracts import contract_create, price_plan_create
from shared_apps.billing.models import Funder, FunderAssignment, FunderKind, PricePlan
from shared_apps.identity.models import Membership, User, UserSession
from tenants.models import Establishment, EstablishmentStatus
from tenants.uai import uai_check_letter

_numbers = itertools.count(1)


def unique_uai() -> str:
    digits = f"0{secrets.randbelow(90) + 10:02d}{secrets.randbelow(10000):04d}"
    while Establishment.objects.filter(uai__startswith=digits).exists():
        digits = f"0{secrets.randbelow(90) + 10:02d}{secrets.randbelow(10000):04d}"
    return digits + uai_check_letter(digits)


def funder(code: str | None = None, name: str | None = None) -> Funder:
    tag = code or f"test-funder-{secrets.token_hex(4)}"
    return Funder.objects.create(code=tag, name=name or f"Funder {tag}", kind=FunderKind.OTHER)


def establishment(
    funder_: Funder | None = None,
    *,
    name: str | None = None,
    kind: str = "college",
    departement: str = "67",
    since: datetime.date = datetime.date(2020, 1, 1),
) -> Establishment:
    """An active establishment row without a schema, attached to ``funder_`` from ``since``."""
    created = Establishment.objects.create(
        schema_name=f"t_bill_{secrets.token_hex(5)}",
        uai=unique_uai(),
        name=name or f"Établissement {next(_numbers)}",
        kind=kind,
        academie="Strasbourg",
        departement=departement,
        status=EstablishmentStatus.ACTIVE,
        funded_by=funder_,
    )
    Establishment.objects.filter(pk=created.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    )
    if funder_ is not None:
        FunderAssignment.objects.create(establishment=created, funder=funder_, effective_from=since)
    return created


def person(*establishments_and_roles: tuple[Establishment, str], since: datetime.date | None = None) -> User:
    user = User.objects.create(
        login=f"b{secrets.token_hex(6)}", first_name="Test", last_name=secrets.token_hex(3)
    )
    for est, role in establishments_and_roles:
        membership = Membership.objects.create(user=user, establishment=est, role=role)
        if since is not None:
            Membership.objects.filter(pk=membership.pk).update(
                created_at=timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
            )
    return user


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def session(user: User, start: datetime.datetime, end: datetime.datetime | None = None) -> UserSession:
    """A signed-in session opened at ``start`` and last seen at ``end`` (``start`` by default)."""
    row = UserSession.objects.create(
        user=user, session_key_hash=secrets.token_hex(32), last_seen_at=end or start
    )
    UserSession.objects.filter(pk=row.pk).update(created_at=start)
    return row


def plan(**prices: object) -> PricePlan:
    tiers = prices.pop("tiers", ())
    return price_plan_create(
        actor=None,
        code=f"plan-{secrets.token_hex(4)}",
        name="Plan test",
        tiers=tiers,  # type: ignore[arg-type]
        **{key: Decimal(str(value)) for key, value in prices.items()},  # type: ignore[arg-type]
    )


def contract(funder_: Funder, plan_: PricePlan, starts_on: datetime.date = datetime.date(2020, 1, 1)):
    return contract_create(
        actor=None,
        funder=funder_,
        reference=f"C-{secrets.token_hex(4)}",
        plan=plan_,
        starts_on=starts_on,
        vat_rate=Decimal("0.20"),
    )
