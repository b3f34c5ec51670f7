"""Funders, plans and contracts in Django's admin (platform staff); usage records and invoices are
read-only there (they are written by the metering and the issue services only)."""

from django.contrib import admin

from shared_apps.billing.models import (
    Contract,
    ContractPlan,
    Funder,
    FunderViewer,
    Invoice,
    PricePlan,
    PriceTier,
    UsageDay,
)


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "departement")
    search_fields = ("code", "name")


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


@admin.register(PricePlan)
class PricePlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "establishment_fee", "price_per_active_user", "storage_allowance_gb")
    inlines = (PriceTierInline,)


class ContractPlanInline(admin.TabularInline):
    model = ContractPlan
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("reference", "funder", "starts_on", "ends_on", "vat_rate")
    inlines = (ContractPlanInline,)


@admin.register(FunderViewer)
class FunderViewerAdmin(admin.ModelAdmin):
    list_display = ("user", "funder")
    raw_id_fields = ("user",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(UsageDay)
class UsageDayAdmin(ReadOnlyAdmin):
    list_display = (
        "establishment_id",
        "day",
        "accounts",
        "active",
        "active_month",
        "sign_ins",
        "storage_bytes",
    )
    list_filter = ("day",)


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "funder_name", "month", "total_incl_vat", "issued_at")
    list_filter = ("kind", "year")
