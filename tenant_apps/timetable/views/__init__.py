"""Timetable pages, one module per concern: ``weeks`` (one's week or a child's, a class's, a
room's; the calendar feed), ``lessons`` (managing recurring lessons and their one-off changes),
``holidays``, ``exceptional`` (exceptional lessons); ``common`` holds what they share. Routes:
``urls.py``."""
