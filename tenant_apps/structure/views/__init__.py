"""Pages of the school's structure (/structure/…), for the establishment's administrative staff:
years and their periods, classes, groups (and their students), subjects, rooms, teaching
assignments; the year rollover; a past year's classes.

Thin: each kind is described by a ``Section`` (``sections.py``: its form, list query and
services); three generic pages (``generic.py``: list with an "add" form, edit, delete with a
confirmation step) serve every kind (``pages.py``); the rollover has its own (``rollover.py``).
The rules are in ``services``; a refused change is shown on the form (HTTP 400), next to its field.
"""
