"""Allow ``python -m workbench`` (and the bundle's entry point, packaging/workbench.spec)."""

import sys

from workbench.cli import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # Work packages are merged in a spawned child process (services/packages.py); in the bundle
        # that child re-enters here and freeze_support runs it (PyInstaller's multiprocessing hook).
        # Unfrozen, freeze_support does nothing, and importing multiprocessing costs ~5 ms of every start.
        import multiprocessing

        multiprocessing.freeze_support()
    raise SystemExit(main())
