"""The demo (``mbn demo``, ``make demo``): believable, deterministic data built through the
services, relative to today. It uses every app, so it belongs to the wiring, above them all.

``seed.py`` runs one module per app in order (``DEMO_STEPS``): a new app adds its own module here
and one line there."""

from mbn_platform.demo.data import DEMO_PASSWORD, DEMO_SCHOOLS
from mbn_platform.demo.personas import PERSONAS, Persona, persona
from mbn_platform.demo.seed import DemoRun, demo_seed

__all__ = ["DEMO_PASSWORD", "DEMO_SCHOOLS", "PERSONAS", "DemoRun", "Persona", "demo_seed", "persona"]
