"""Sample timetable files written for the tests, in each format the import reads (no real export
is at hand offline; the layouts follow the published readers' descriptions, see
tenant_apps/timetable/imports/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

EDT_NS = "http://www.index-education.com/exportemploidutemps"
WEEK1 = "2026-08-31"  # the Monday of week 1 of the helpers' school year


def bits(*weeks: int | range) -> int:
    """EDT's Semaines: bit n for week n."""
    found = 0
    for week in weeks:
        for n in week if isinstance(week, range) else [week]:
            found |= 1 << n
    return found


ALL_YEAR = bits(range(1, 45))


@dataclass
class Course:
    day: int  # 1 = Monday
    place: int  # place numbers: 1 = 08:00-08:55, 2 = 09:00-09:55 …
    subject: str = "MAT"
    teachers: tuple[str, ...] = ("P1",)
    classes: tuple[str, ...] = ("C1",)
    groups: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # parts of a class (PartieDeClasse)
    room: str = "S1"
    weeks: int = ALL_YEAR
    places: int = 1
    room_weeks: int | None = None
    extra: dict[str, int] = field(default_factory=dict)


def edt_xml(
    *, teachers: dict[str, str], courses: list[Course], uai: str = "0671234C", week1: str = WEEK1
) -> bytes:
    """An ExportEmploiDuTemps document. ``teachers``: Ident → "First Last"."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<ExportEmploiDuTemps xmlns="{EDT_NS}" Version="1.1" UAI="{uai}">',
        f'  <AnneeScolaire DateDebut="2026-08-31" DateFin="2027-07-03" DatePremierJourSemaine1="{week1}"/>',
        '  <GrilleHoraire NombrePlacesParJour="9" DureePlace="55">',
    ]
    for n, hour in enumerate((8, 9, 10, 11, 13, 14, 15, 16, 17), start=1):
        lines.append(
            f'    <Place Numero="{n}" LibelleHeureDebut="{hour:02d}h00" LibelleHeureFin="{hour:02d}h55"/>'
        )
    lines += [
        f'    <Jour Numero="{n}" Libelle="{d}"/>'
        for n, d in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi"), 1)
    ]
    lines.append("  </GrilleHoraire>")
    lines.append("  <Matieres>")
    lines += [
        '    <Matiere Ident="MAT" Code="TMATH" Libelle="Mathématiques"/>',
        '    <Matiere Ident="ANG" Code="TANG" Libelle="Anglais"/>',
        '    <Matiere Ident="SVT" Code="NEWSVT" Libelle="Sciences de la vie et de la Terre"/>',
    ]
    lines.append("  </Matieres>\n  <Professeurs>")
    for ident, name in teachers.items():
        first, _sep, last = name.partition(" ")
        lines.append(
            f"    <Professeur Ident={quoteattr(ident)} Nom={quoteattr(last)} Prenom={quoteattr(first)}/>"
        )
    lines += [
        "  </Professeurs>",
        "  <Classes>",
        '    <Classe Ident="C1" Nom="6T"><PartieDeClasse Ident="C1G1" Nom="6T groupe 1"/></Classe>',
        '    <Classe Ident="C2" Nom="5e T"/>',
        "  </Classes>",
        '  <Groupes><Groupe Ident="G1" Nom="Anglais LV2 T"/></Groupes>',
        '  <Salles><Salle Ident="S1" Nom="T101"/><Salle Ident="S2" Nom="T202"/>',
        '    <Salle Ident="S9" Nom="Labo"/></Salles>',
        "  <Cours>",
    ]
    for c in courses:
        lines.append(f'    <Cours Jour="{c.day}" NumeroPlaceDebut="{c.place}" NombrePlaces="{c.places}">')
        lines.append(f'      <Matiere Ident="{c.subject}" Semaines="{c.weeks}"/>')
        lines += [f'      <Professeur Ident="{t}" Semaines="{c.weeks}"/>' for t in c.teachers]
        lines += [f'      <Classe Ident="{k}" Semaines="{c.weeks}"/>' for k in c.classes]
        lines += [f'      <Groupe Ident="{g}" Semaines="{c.weeks}"/>' for g in c.groups]
        lines += [f'      <PartieDeClasse Ident="{p}" Semaines="{c.weeks}"/>' for p in c.parts]
        if c.room:
            room_weeks = c.room_weeks if c.room_weeks is not None else c.weeks
            lines.append(f'      <Salle Ident="{c.room}" Semaines="{room_weeks}"/>')
        lines.append("    </Cours>")
    lines += ["  </Cours>", "</ExportEmploiDuTemps>"]
    return "\n".join(lines).encode()


ENCRYPTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<ConteneurExportChiffre Version="1.0"><Cle>QUJDRA==</Cle><Contenu>U0VDUkVU</Contenu></ConteneurExportChiffre>
"""


def sts_xml(*, teacher: str, co_teacher: str, uai: str = "0671234C") -> bytes:
    """An EDT_STS file: 6T has maths on Monday 08:00 (every week, T101) and English on
    Tuesday 10:00 on alternance "Q1" (the weeks of 7/9 and 21/9), co-taught; group
    "Anglais LV2 T" has English on Thursday 14:00 for 1 h 30."""
    first, _s, last = teacher.partition(" ")
    co_first, _s, co_last = co_teacher.partition(" ")
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<EDT_STS>
  <PARAMETRES><UAJ>{uai}</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES>
  <DONNEES>
    <NOMENCLATURES>
      <MATIERES>
        <MATIERE CODE="061300"><CODE_GESTION>TMATH</CODE_GESTION>
          <LIBELLE_COURT>MATHS</LIBELLE_COURT><LIBELLE_LONG>Mathématiques</LIBELLE_LONG></MATIERE>
        <MATIERE CODE="030201"><CODE_GESTION>TANG</CODE_GESTION>
          <LIBELLE_COURT>ANGLAIS</LIBELLE_COURT></MATIERE>
      </MATIERES>
      <ALTERNANCES>
        <ALTERNANCE CODE="Q1"><LIBELLE_COURT>Q1</LIBELLE_COURT><SEMAINES>
          <SEMAINE><DATE_DEBUT_SEMAINE>07/09/2026</DATE_DEBUT_SEMAINE></SEMAINE>
          <SEMAINE><DATE_DEBUT_SEMAINE>2026-09-21</DATE_DEBUT_SEMAINE></SEMAINE>
        </SEMAINES></ALTERNANCE>
      </ALTERNANCES>
    </NOMENCLATURES>
    <INDIVIDUS>
      <INDIVIDU ID="101" TYPE="epp"><NOM_USAGE>{last}</NOM_USAGE><PRENOM>{first}</PRENOM></INDIVIDU>
      <INDIVIDU ID="102" TYPE="epp"><NOM_USAGE>{co_last}</NOM_USAGE><PRENOM>{co_first}</PRENOM></INDIVIDU>
    </INDIVIDUS>
    <STRUCTURE>
      <DIVISIONS>
        <DIVISION CODE="6T"><SERVICES>
          <SERVICE CODE_MATIERE="061300"><ENSEIGNANTS><ENSEIGNANT ID="101" TYPE="epp"><COURS_RATTACHES>
            <COURS><CODE_ALTERNANCE>H</CODE_ALTERNANCE><JOUR>1</JOUR><HEURE_DEBUT>0800</HEURE_DEBUT><DUREE>0055</DUREE><CODE_SALLE>T101</CODE_SALLE></COURS>
          </COURS_RATTACHES></ENSEIGNANT></ENSEIGNANTS></SERVICE>
          <SERVICE CODE_MATIERE="030201"><ENSEIGNANTS>
            <ENSEIGNANT ID="101" TYPE="epp"><COURS_RATTACHES>
              <COURS><CODE_ALTERNANCE>Q1</CODE_ALTERNANCE><JOUR>2</JOUR><HEURE_DEBUT>10:00</HEURE_DEBUT><DUREE>55</DUREE><CODE_SALLE>T202</CODE_SALLE></COURS>
            </COURS_RATTACHES></ENSEIGNANT>
            <ENSEIGNANT ID="102" TYPE="epp"><COURS_RATTACHES>
              <COURS><CODE_ALTERNANCE>Q1</CODE_ALTERNANCE><JOUR>2</JOUR><HEURE_DEBUT>10:00</HEURE_DEBUT><DUREE>55</DUREE><CODE_SALLE>T202</CODE_SALLE></COURS>
            </COURS_RATTACHES></ENSEIGNANT>
          </ENSEIGNANTS></SERVICE>
        </SERVICES></DIVISION>
      </DIVISIONS>
      <GROUPES>
        <GROUPE CODE="Anglais LV2 T">
          <DIVISIONS_APPARTENANCE><DIVISION_APPARTENANCE CODE="6T"/></DIVISIONS_APPARTENANCE><SERVICES>
          <SERVICE CODE_MATIERE="030201"><ENSEIGNANTS><ENSEIGNANT ID="102" TYPE="epp"><COURS_RATTACHES>
            <COURS><CODE_ALTERNANCE>H</CODE_ALTERNANCE><JOUR>4</JOUR><HEURE_DEBUT>1400</HEURE_DEBUT><DUREE>0130</DUREE><CODE_SALLE></CODE_SALLE></COURS>
          </COURS_RATTACHES></ENSEIGNANT></ENSEIGNANTS></SERVICE>
        </SERVICES></GROUPE>
      </GROUPES>
    </STRUCTURE>
  </DONNEES>
</EDT_STS>
""".encode("iso-8859-1")


def udt_xml(*, teacher: str, co_teacher: str) -> bytes:
    """UDT's records: 6T maths Monday slot 01 (08:00) every week; 5e T English Wednesday slots
    02-03 (09:00-10:55) in ISO weeks 37-39, co-taught."""
    first, _s, last = teacher.partition(" ")
    co_first, _s, co_last = co_teacher.partition(" ")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<UDT annee="2026" premiere_semaine_ISO="36">
  <plage code_jour="1" code="01" hre_deb="08:00" hre_fin="08:55"/>
  <plage code_jour="3" code="02" hre_deb="09:00" hre_fin="09:55"/>
  <plage code_jour="3" code="03" hre_deb="10:00" hre_fin="10:55"/>
  <prof code="P1" nom={quoteattr(last)} prenom={quoteattr(first)}/>
  <prof code="P2" nom={quoteattr(co_last)} prenom={quoteattr(co_first)}/>
  <mat code="TMATH" libelle="Mathématiques"/>
  <mat code="TANG" libelle="Anglais"/>
  <div code="6T" libelle="6e T"/>
  <div code="5T" libelle="5e T"/>
  <salle code="101" nom="T101"/>
  <cours div="6T" mat="TMATH" prof="P1" salle="101" jour="1" plage="01"/>
  <cours div="5T" mat="TANG" prof="P1" coens="P2" jour="3" plage="02" nb_plages="2" semaines="37-39"/>
</UDT>
""".encode()


def csv_file(
    rows: list[str], header: str = "day;start;end;subject;teacher;co_teachers;classes;groups;room;weeks"
) -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode()
