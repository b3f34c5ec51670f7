"""Timetable import: the files of the timetable software schools use, read into one model of
lessons (``rows.py``), planned against the establishment's timetable (``plan.py``) and applied
in one transaction (``apply.py``). Readers: Index Éducation's EDT (``edt.py``; its encrypted
container is recognised and refused), UDT (``udt.py``), STS-web's EDT_STS (``sts.py``), and a
documented CSV (``csvfile.py``); ``read.py`` tells which a file is."""
