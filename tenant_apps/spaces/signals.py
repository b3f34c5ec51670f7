"""A space for each new class and group (the services' bulk writes skip signals: the spaces list
calls ``spaces_ensure`` too, so no class or group stays without one)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from tenant_apps.school.models import SchoolClass
from tenant_apps.spaces.services.spaces import spaces_ensure
from tenant_apps.structure.models import Group


@receiver(post_save, sender=SchoolClass, dispatch_uid="spaces_class_space")
@receiver(post_save, sender=Group, dispatch_uid="spaces_group_space")
def space_for_new(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        spaces_ensure()
