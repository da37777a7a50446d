"""Entry script of the frozen build (installer/counter_app.spec): the same as ``counter-app``."""

import sys

from counter_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
