"""The school-holiday zones of metropolitan France (A, B, C) and which académie is in which:
an establishment follows its zone's official holidays (``shared_apps.schoolcalendar``)."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    A = "A", _("Zone A")
    B = "B", _("Zone B")
    C = "C", _("Zone C")


#: The académies of each zone (since 2016; Caen and Rouen form the académie de Normandie).
ACADEMIES = {
    Zone.A: ("Besançon", "Bordeaux", "Clermont-Ferrand", "Dijon", "Grenoble", "Limoges", "Lyon", "Poitiers"),
    Zone.B: (
        "Aix-Marseille",
        "Amiens",
        "Caen",
        "Lille",
        "Nancy-Metz",
        "Nantes",
        "Nice",
        "Normandie",
        "Orléans-Tours",
        "Reims",
        "Rennes",
        "Rouen",
        "Strasbourg",
    ),
    Zone.C: ("Créteil", "Montpellier", "Paris", "Toulouse", "Versailles"),
}


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


_BY_ACADEMIE = {_key(name): zone for zone, names in ACADEMIES.items() for name in names}


def zone_of_academie(academie: str) -> str:
    """The zone of an académie ("Strasbourg" → "B"; accents, case and dashes ignored), or ""
    for one outside the three zones (overseas académies, Corse: their own calendars)."""
    return str(_BY_ACADEMIE.get(_key(academie), ""))
