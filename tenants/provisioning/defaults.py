"""What a new establishment's schema starts with: each tenant app registers, at start-up (in its
``AppConfig.ready()``), a function that seeds its defaults, e.g. the school app its settings row::

    from tenants.provisioning.defaults import establishment_defaults_register

    establishment_defaults_register(school_defaults)

The onboarding step ``defaults`` calls each one inside the new establishment's schema. A seed must
be idempotent (a resumed job calls it again) and is undone with the schema.
"""

from __future__ import annotations

from collections.abc import Callable

from tenants.models import Establishment

EstablishmentDefaults = Callable[[Establishment], object]

_seeds: list[EstablishmentDefaults] = []


def establishment_defaults_register(seed: EstablishmentDefaults) -> EstablishmentDefaults:
    """Register a seed (registering the same function twice keeps one)."""
    if seed not in _seeds:
        _seeds.append(seed)
    return seed


def establishment_defaults_apply(*, establishment: Establishment) -> None:
    """Every registered seed, in the order of registration (call it in the establishment's schema)."""
    for seed in _seeds:
        seed(establishment)
