"""``python -m gdviz``: the same as the ``gdviz`` console script."""

import sys

from gdviz.cli import main

sys.exit(main())
