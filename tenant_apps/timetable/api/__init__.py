"""Timetable API, one module per concern: ``weeks`` (one's own week, a child's, a class's, a
room's), ``lessons`` (recurring lessons and their one-off changes), ``exceptional`` (exceptional
lessons), ``holidays`` (holidays, the calendar feed token). Routes: ``urls.py``."""
