"""Which funder pays for an establishment by default, from its kind and its département: the
département's council for a collège, the agriculture ministry for a lycée agricole, the region
for the other lycées. (tenants/migrations/0004 holds a frozen copy of this rule for its backfill.)"""

from __future__ import annotations

from dataclasses import dataclass

from shared_apps.billing.models import FunderKind

REGION_CODE = "region"
REGION_NAME = "Région Grand Est"
AGRICULTURE_CODE = "agriculture"
AGRICULTURE_NAME = "Ministère de l'Agriculture"
# The départements' councils by their usual names; any other is "Conseil départemental (NN)".
DEPARTEMENT_COUNCILS = {
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


@dataclass(frozen=True)
class FunderSpec:
    code: str
    name: str
    kind: str
    departement: str = ""


def default_funder_spec(*, kind: str, departement: str) -> FunderSpec:
    """The funder an establishment of this kind in this département is attached to by default."""
    if kind == "college":
        code = departement.strip().upper()
        return FunderSpec(
            code=f"departement-{code.lower()}",
            name=DEPARTEMENT_COUNCILS.get(code, f"Conseil départemental ({code})"),
            kind=FunderKind.DEPARTEMENT,
            departement=code,
        )
    if kind == "lycee_agricole":
        return FunderSpec(code=AGRICULTURE_CODE, name=AGRICULTURE_NAME, kind=FunderKind.MINISTRY)
    return FunderSpec(code=REGION_CODE, name=REGION_NAME, kind=FunderKind.REGION)
