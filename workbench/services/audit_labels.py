"""Chinese names of audit log actions, for the window (gui/ does not import storage)."""

from workbench.storage.audit import ACTION_LABELS

__all__ = ["ACTION_LABELS"]
