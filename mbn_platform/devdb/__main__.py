"""``python -m mbn_platform.devdb {start,stop,url,run -- CMD...}``."""

import sys

from .cli import main

sys.exit(main())
