"""Logins of new accounts: "first.last", unique in the region."""

from __future__ import annotations

import secrets

from shared_apps.directory.parsers.model import name_key
from shared_apps.identity.models import User


def _login_base(first_name: str, last_name: str) -> str:
    parts = [name_key(first_name).replace(" ", "-"), name_key(last_name).replace(" ", "-")]
    base = ".".join(part for part in parts if part)[:56].strip(".-")
    return base if len(base) >= 2 else "user"


def logins_allocate(names: list[tuple[str, str]]) -> list[str]:
    """Region-unique logins "first.last", "first.last2"…, in two queries whatever the count."""
    bases = [_login_base(first, last) for first, last in names]
    candidates = {f"{base}{n}" if n > 1 else base for base in set(bases) for n in range(1, 10)}
    taken = set(User.objects.filter(login__in=candidates).values_list("login", flat=True))
    logins: list[str] = []
    overflow: list[int] = []
    for index, base in enumerate(bases):
        login = next(
            (c for c in (f"{base}{n}" if n > 1 else base for n in range(1, 10)) if c not in taken), None
        )
        if login is None:
            overflow.append(index)
            login = ""
        taken.add(login)
        logins.append(login)
    while overflow:  # very common names: a random four-digit suffix, checked again
        proposals = {index: f"{bases[index]}{secrets.randbelow(9000) + 1000}" for index in overflow}
        taken |= set(User.objects.filter(login__in=proposals.values()).values_list("login", flat=True))
        retry = []
        for index, login in proposals.items():
            if login in taken:
                retry.append(index)
            else:
                taken.add(login)
                logins[index] = login
        overflow = retry
    return logins
