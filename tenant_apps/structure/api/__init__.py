"""API of the school's structure: every member of staff reads it, the administrative staff write it
(``permissions.py``). One module per kind: ``years`` (school years, periods, rollover, past
enrolments), ``catalogue`` (subjects, rooms, classes), ``groups`` (groups and their students,
teaching assignments); ``common`` holds what they share. Routes: ``urls.py``.

Each kind has a list (GET, POST) and a detail (GET, PATCH, DELETE) route. A PATCH sends only the
fields that change; a DELETE of something still in use is a 409 that says what uses it.
"""
