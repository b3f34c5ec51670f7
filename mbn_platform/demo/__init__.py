"""The demo (``mbn demo``, ``make demo``): believable, deterministic data built through the
services. It uses every app, so it belongs to the wiring, above them all."""

from mbn_platform.demo.data import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SCHOOLS
from mbn_platform.demo.seed import demo_seed

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_SCHOOLS", "demo_seed"]
