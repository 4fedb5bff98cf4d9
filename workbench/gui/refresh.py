"""Refreshing a screen when the data it shows changed: only for its topics, only when visible.

A save announces what it changed with ``Session.notify("reviews", "findings")``; each screen
declares the topics it shows (:data:`TOPICS`). A hidden screen is only marked stale and
re-reads when it is next shown, so a save never reloads screens nobody is looking at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

# What a change can be about (Session.notify); "campaigns" also covers a campaign's settings.
TOPICS = frozenset({"campaigns", "sites", "reviews", "findings", "documents", "inspections",
                    "templates", "settings"})


def check_topics(topics: Iterable[str]) -> frozenset[str]:
    """``topics`` as a frozenset.

    Raises:
        ValueError: a topic outside :data:`TOPICS` (a typo would silently refresh nothing).
    """
    out = frozenset(topics)
    unknown = out - TOPICS
    if unknown:
        raise ValueError(f"unknown change topics: {sorted(unknown)}")
    return out


class Refresher(QObject):
    """Calls ``refresh()`` of ``view`` when one of ``topics`` changes or the campaign changes.

    Visible view: at once. Hidden view: marked stale, refreshed on its next Show event. A view
    starts stale, so nothing is read before it is first shown.
    """

    def __init__(self, session, view: QWidget, topics: Iterable[str], refresh: Callable[[], None],
                 campaign: bool = True):
        super().__init__(view)
        self.view = view
        self.topics = check_topics(topics)
        self.refresh = refresh
        self.stale = True
        session.changed.connect(self._changed)
        if campaign:
            session.campaign_changed.connect(lambda _cid: self.touch())
        view.installEventFilter(self)

    def _changed(self, topics: frozenset) -> None:
        if topics & self.topics:
            self.touch()

    def touch(self) -> None:
        """The view's data changed: refresh now when visible, else when next shown."""
        if self.view.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def wait(self) -> None:
        """Read nothing until the next :meth:`touch` (not on the next Show event either): the
        window opens on this view before it knows which campaign to show."""
        self.stale = False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Refresh a stale view as it is shown."""
        if watched is self.view and event.type() == QEvent.Show and self.stale:
            self.stale = False
            self.refresh()
        return False
