"""Keep the host caches in step with domain and establishment changes: this process's at once,
every other process's on its next request (the establishments' generation moves on)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mbn_platform.kernel.generations import ESTABLISHMENTS, generation_bump
from tenants.models import Domain, Establishment


@receiver([post_save, post_delete], sender=Domain)
@receiver([post_save, post_delete], sender=Establishment)
def domain_cache_clear(**kwargs: Any) -> None:
    from tenants.middleware import domain_cache

    domain_cache.clear()
    generation_bump(ESTABLISHMENTS)
