from django.contrib import admin

from tenants.models import Domain, Establishment


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ("name", "uai", "kind", "academie", "departement", "status", "schema_name")
    list_filter = ("kind", "academie", "status")
    search_fields = ("name", "uai")
    readonly_fields = ("schema_name",)
    inlines = (DomainInline,)
