"""``python -m conformance.reference``: the reference installer's command line."""

import sys

from .cli import main

sys.exit(main())
