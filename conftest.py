"""Root pytest configuration: the test settings profile."""

import os

os.environ.setdefault("MBN_ENV", "test")
