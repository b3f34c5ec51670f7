from django.contrib import admin

from shared_apps.directory.models import ActivationCode, DirectoryImport


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    list_display = ("pk", "establishment", "status", "created_at", "applied_at")
    list_filter = ("status",)
    raw_id_fields = ("establishment", "uploaded_by")
    exclude = ("content",)  # the parsed people: not for browsing


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    list_display = ("user", "channel", "created_at", "expires_at", "used_at", "revoked_at")
    raw_id_fields = ("user", "establishment")
    exclude = ("code_hash",)
