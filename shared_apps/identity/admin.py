from django.contrib import admin

from shared_apps.identity.models import GuardianLink, Membership, RegionRoleAssignment, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("login", "first_name", "last_name", "email", "is_active")
    search_fields = ("login", "first_name", "last_name", "email", "national_id")
    exclude = ("password",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "establishment", "role", "status")
    list_filter = ("role", "status")
    raw_id_fields = ("user", "establishment")


admin.site.register(GuardianLink)
admin.site.register(RegionRoleAssignment)
