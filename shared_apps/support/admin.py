from django.contrib import admin

from shared_apps.support.models import Impersonation, SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "subject", "establishment", "requester", "status", "assignee", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("establishment", "requester", "on_behalf_of", "assignee")


@admin.register(Impersonation)
class ImpersonationAdmin(admin.ModelAdmin):
    """Read-only: impersonations are started and ended through the support pages only."""

    list_display = ("pk", "agent", "target", "establishment", "started_at", "ended_at", "ended_reason")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
