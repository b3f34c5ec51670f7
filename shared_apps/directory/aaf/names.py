"""AAF file names: ``<prefix>_Complet_<date>_<Kind>_<n>.xml`` (a complete set) or
``<prefix>_Delta_<date>_<Kind>_<n>.xml`` (a delta), ``<n>`` numbering the files of one kind.

A set is the files of one mode and date; sets are read in order (by date, a complete set before a
delta of the same date). A complete set needs its four kinds of people and establishments, each
numbered from 1 without a gap: otherwise it is partial, and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPLETE, DELTA = "complete", "delta"
ELEVE, PERS_EDUC_NAT, PERS_REL_ELEVE, ETAB, MATIERE = (
    "Eleve",
    "PersEducNat",
    "PersRelEleve",
    "EtabEducNat",
    "MatiereEducNat",
)
KINDS = (ETAB, MATIERE, PERS_REL_ELEVE, PERS_EDUC_NAT, ELEVE)  # the order a set is read in
REQUIRED_IN_COMPLETE = (ETAB, PERS_REL_ELEVE, PERS_EDUC_NAT, ELEVE)
NAME_RE = re.compile(
    r"^(?P<prefix>[A-Za-z0-9][A-Za-z0-9._-]*?)_(?P<mode>Complet|Delta)_(?P<stamp>\d{8}(?:\d{4,6})?)_"
    r"(?P<kind>[A-Za-z]+)_(?P<number>\d{1,6})\.xml$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileName:
    name: str
    mode: str
    stamp: str
    kind: str
    number: int

    @property
    def set_key(self) -> tuple[str, int]:
        return (self.stamp, 0 if self.mode == COMPLETE else 1)


def file_name_parse(name: str) -> FileName | None:
    """The file's set and kind, or None for a name that is not an AAF file's (or a kind not read)."""
    found = NAME_RE.match(name.rsplit("/", 1)[-1])
    if found is None:
        return None
    kind = next((k for k in KINDS if k.lower() == found["kind"].lower()), None)
    if kind is None:
        return None
    mode = COMPLETE if found["mode"].lower() == "complet" else DELTA
    return FileName(found.group(0), mode, found["stamp"], kind, int(found["number"]))


def set_missing(files: list[FileName]) -> list[str]:
    """What a set lacks to be read: the kinds a complete set needs, numbers skipped."""
    missing = []
    numbers: dict[str, list[int]] = {}
    for file in files:
        numbers.setdefault(file.kind, []).append(file.number)
    if files and files[0].mode == COMPLETE:
        missing += [kind for kind in REQUIRED_IN_COMPLETE if kind not in numbers]
    for kind, found in numbers.items():
        gaps = sorted(set(range(1, max(found) + 1)) - set(found))
        missing += [f"{kind} #{n}" for n in gaps]
    return missing


def set_order(files: list[FileName]) -> list[FileName]:
    return sorted(files, key=lambda f: (KINDS.index(f.kind), f.number))
