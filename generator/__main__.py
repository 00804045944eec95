"""`python -m generator` → the `wenji` command line."""

import sys

from generator.cli import main

sys.exit(main())
