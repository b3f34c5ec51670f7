"""Expand: the establishment's funder becomes a reference to a billing funder (``funded_by``).

The former free-text ``funder`` column stays, written in step with ``funded_by`` (the funder's
name), so that code of the previous release keeps working during the rollout; a later contract
migration drops it (docs/billing.md). The backfill attaches each establishment to a funder: its
text when it named something other than the former default, else the default funder of its kind
and département; it records that as the first entry of the establishment's funder history.
"""

import django.db.models.deletion
from django.db import migrations, models

# A frozen copy of shared_apps/billing/defaults.py (migrations never import application code).
REGION = ("region", "Région Grand Est", "region", "")
AGRICULTURE = ("agriculture", "Ministère de l'Agriculture", "ministry", "")
COUNCILS = {
    "08": "Conseil départemental des Ardennes",
    "10": "Conseil départemental de l'Aube",
    "51": "Conseil départemental de la Marne",
    "52": "Conseil départemental de la Haute-Marne",
    "54": "Conseil départemental de Meurthe-et-Moselle",
    "55": "Conseil départemental de la Meuse",
    "57": "Conseil départemental de la Moselle",
    "67": "Conseil départemental du Bas-Rhin",
    "68": "Conseil départemental du Haut-Rhin",
    "88": "Conseil départemental des Vosges",
}


def _default(kind, departement):
    if kind == "college":
        code = departement.upper()
        return (f"departement-{code.lower()}", COUNCILS.get(code, f"Conseil départemental ({code})"),
                "departement", code)
    if kind == "lycee_agricole":
        return AGRICULTURE
    return REGION


def _former_default(kind, departement):
    return f"Conseil départemental ({departement})" if kind == "college" else "Région"


def attach_funders(apps, schema_editor):
    from django.utils.text import slugify

    Establishment = apps.get_model("tenants", "Establishment")
    Funder = apps.get_model("billing", "Funder")
    FunderAssignment = apps.get_model("billing", "FunderAssignment")
    funders = {}

    def funder(code, name, kind, departement):
        if code not in funders:
            funders[code], _ = Funder.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "departement": departement}
            )
        return funders[code]

    for establishment in Establishment.objects.filter(funded_by__isnull=True).exclude(schema_name="public"):
        text = establishment.funder.strip()
        if not text or text == _former_default(establishment.kind, establishment.departement):
            chosen = funder(*_default(establishment.kind, establishment.departement))
        else:
            chosen = funder(f"funder-{slugify(text)[:50]}", text, "other", "")
        establishment.funded_by = chosen
        establishment.funder = chosen.name[:120]
        establishment.save(update_fields=["funded_by", "funder"])
        FunderAssignment.objects.create(
            establishment=establishment,
            funder=chosen,
            effective_from=establishment.created_at.date(),
            reason="Backfilled from the former text field",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0001_initial'),
        ('tenants', '0003_establishment_funder'),
    ]

    operations = [
        migrations.AddField(
            model_name='establishment',
            name='funded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.funder', verbose_name='funder'),
        ),
        migrations.AlterField(
            model_name='establishment',
            name='funder',
            field=models.CharField(blank=True, db_index=True, default='', max_length=120, verbose_name='funder (former text)'),
        ),
        migrations.RunPython(attach_funders, migrations.RunPython.noop),
    ]
