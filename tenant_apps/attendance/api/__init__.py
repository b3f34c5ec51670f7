"""Attendance API, one module per concern: ``registers`` (registers, marks, late arrivals,
notices' review), ``justifications`` (declarations ahead, justifications and their decision),
``statistics`` (half-days and lateness). Routes: ``urls.py``."""
