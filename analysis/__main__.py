"""``python -m analysis`` runs the same CLI as ``afghan-brief``."""

import sys

from .render.cli import main

sys.exit(main())
