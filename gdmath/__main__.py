"""Entry point of ``python -m gdmath``."""

import sys

from gdmath.cli import main

sys.exit(main())
