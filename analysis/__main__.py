"""``python -m analysis`` runs the same CLI as ``afghan-brief``."""

import sys

from .cli import main

sys.exit(main())
