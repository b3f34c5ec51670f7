"""A realistic region of N establishments for demos and benchmarks: three académies, ten
départements, the mix of collèges, lycées (general and vocational) and lycées agricoles."""

from __future__ import annotations

import re
import unicodedata

from tenants.models import EstablishmentKind
from tenants.provisioning.validation import OnboardingData, default_funder
from tenants.uai import uai_check_letter

# (département code, UAI prefix, académie, towns)
DEPARTEMENTS = (
    ("67", "067", "Strasbourg", ("Strasbourg", "Haguenau", "Sélestat", "Saverne", "Molsheim", "Obernai")),
    ("68", "068", "Strasbourg", ("Colmar", "Mulhouse", "Guebwiller", "Thann", "Altkirch", "Saint-Louis")),
    ("54", "054", "Nancy-Metz", ("Nancy", "Lunéville", "Toul", "Pont-à-Mousson", "Longwy", "Briey")),
    ("55", "055", "Nancy-Metz", ("Bar-le-Duc", "Verdun", "Commercy", "Saint-Mihiel")),
    (
        "57",
        "057",
        "Nancy-Metz",
        ("Metz", "Thionville", "Forbach", "Sarreguemines", "Sarrebourg", "Creutzwald"),
    ),
    ("88", "088", "Nancy-Metz", ("Épinal", "Saint-Dié-des-Vosges", "Remiremont", "Neufchâteau")),
    ("08", "008", "Reims", ("Charleville-Mézières", "Sedan", "Rethel", "Givet")),
    ("10", "010", "Reims", ("Troyes", "Romilly-sur-Seine", "Bar-sur-Aube", "Nogent-sur-Seine")),
    ("51", "051", "Reims", ("Reims", "Châlons-en-Champagne", "Épernay", "Vitry-le-François")),
    ("52", "052", "Reims", ("Chaumont", "Saint-Dizier", "Langres", "Joinville")),
)
PATRONS = (
    "Jean Moulin",
    "Victor Hugo",
    "Louise Michel",
    "Marie Curie",
    "Jules Ferry",
    "Pierre Mendès France",
    "Simone Veil",
    "Albert Camus",
    "Jean Jaurès",
    "Georges Brassens",
    "Jacques Prévert",
    "Lucie Aubrac",
    "Paul Verlaine",
    "Émile Zola",
    "Robert Schuman",
    "Charles de Gaulle",
    "Antoine de Saint-Exupéry",
    "Camille Claudel",
    "Germaine Tillion",
    "Louis Pasteur",
    "Jean de La Fontaine",
    "Rosa Parks",
)
# Out of 20 establishments: 12 collèges, 5 lycées, 2 lycées professionnels, 1 lycée agricole.
KIND_CYCLE = (
    [EstablishmentKind.COLLEGE] * 12
    + [EstablishmentKind.LYCEE] * 5
    + [EstablishmentKind.LYCEE_PRO] * 2
    + [EstablishmentKind.LYCEE_AGRICOLE]
)
KIND_LABEL = {
    EstablishmentKind.COLLEGE: "Collège",
    EstablishmentKind.LYCEE: "Lycée",
    EstablishmentKind.LYCEE_PRO: "Lycée professionnel",
    EstablishmentKind.LYCEE_AGRICOLE: "Lycée agricole",
}
FIRST_NUMBER = 5000  # generated UAIs use 5000-9999 of each département: clear of the demo schools


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def region_establishments(count: int) -> list[OnboardingData]:
    """``count`` establishments, the same ones for the same count (deterministic)."""
    result: list[OnboardingData] = []
    used: set[str] = set()
    for index in range(count):
        code, prefix, academie, towns = DEPARTEMENTS[index % len(DEPARTEMENTS)]
        rank = index // len(DEPARTEMENTS)
        digits = f"{prefix}{FIRST_NUMBER + rank:04d}"
        kind = KIND_CYCLE[index % len(KIND_CYCLE)]
        town = towns[rank % len(towns)]
        patron = PATRONS[(index * 7) % len(PATRONS)]
        base = _slug(f"{patron} {town}")[:50]
        subdomain, n = base, 1
        while subdomain in used:
            n += 1
            subdomain = f"{base}-{n}"
        used.add(subdomain)
        result.append(
            OnboardingData(
                uai=digits + uai_check_letter(digits),
                name=f"{KIND_LABEL[kind]} {patron} ({town})",
                kind=kind,
                academie=academie,
                departement=code,
                subdomain=subdomain,
                funder=default_funder(kind=kind, departement=code),
            )
        )
    return result


def region_csv(count: int) -> str:
    """The same establishments as a CSV, in the bulk onboarding layout."""
    lines = ["uai,name,kind,academie,departement,subdomain"]
    for data in region_establishments(count):
        name = data.name.replace('"', "'")
        lines.append(f'{data.uai},"{name}",{data.kind},{data.academie},{data.departement},{data.subdomain}')
    return "\n".join(lines) + "\n"


def region_seed(*, count: int, processes: int = 2) -> int:
    """Onboard the first ``count`` generated establishments that do not exist yet, in parallel
    processes; return how many were created. Running it again adds nothing."""
    from tenants.models import Establishment, ProvisioningBatch, ProvisioningJob
    from tenants.provisioning.bulk import provisioning_jobs_run_parallel
    from tenants.provisioning.jobs import onboarding_job_create

    wanted = region_establishments(count)
    taken = set(Establishment.objects.filter(uai__in=[d.uai for d in wanted]).values_list("uai", flat=True))
    live = {
        job.uai: job.pk
        for job in ProvisioningJob.objects.filter(
            uai__in=[d.uai for d in wanted], status__in=["pending", "failed"]
        )
    }
    batch = ProvisioningBatch.objects.create(source_name=f"region generator ({count})")
    job_ids = list(live.values())
    for data in wanted:
        if data.uai not in taken and data.uai not in live:
            job_ids.append(onboarding_job_create(actor=None, data=data, batch=batch).pk)
    if job_ids:
        provisioning_jobs_run_parallel(job_ids=job_ids, processes=processes)
    return len(job_ids)
