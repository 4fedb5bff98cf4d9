"""Allow ``python -m workbench``."""

import multiprocessing

from workbench.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()   # work packages are merged in a child process (services/packages.py)
    raise SystemExit(main())
