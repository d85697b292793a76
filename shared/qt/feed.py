"""The change feed for Qt screens: the one object that owns the feed in every app.

A worker thread takes the site's changes from :class:`shared.feed.ChangeWatcher` and
tells the GUI thread of each one that concerns this screen (``concerns``, one of the
``concerns_*`` rules of :mod:`shared.read`; run in the worker thread, so it must only
read), and when the database went away and came back (then with a change of everything),
so every screen shows the database's truth within a second."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal

from shared.db import Database
from shared.errors import HallQueueError
from shared.feed import Change, ChangeWatcher, RefreshPacer, everything

log = logging.getLogger(__name__)

Concerns = Callable[[Change], bool]


def any_change(_change: Change) -> bool:
    return True


# Feeds whose screen closed while a database call of theirs was still under way (a slow
# or frozen LAN). Qt aborts the whole process when a running QThread is destroyed, so such
# a thread is detached from its screen and kept here until it has ended.
_outliving: set[FeedThread] = set()


class FeedThread(QThread):
    changed = Signal(object)  # a shared.feed.Change that concerns this screen
    online_changed = Signal(bool)

    def __init__(self, db: Database, site_id: int, *, poll_interval: float = 0.25,
                 concerns: Concerns = any_change, pacer: RefreshPacer | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._site_id = site_id
        self._poll_interval = poll_interval
        self._pacer = pacer  # None: every change that concerns the screen, at once
        self._online: bool | None = None
        self.concerns = concerns  # may be replaced while running (a clerk logs in)
        self.received = 0  # changes seen, and of them passed on (tests, benchmarks)
        self.passed = 0
        self._watcher: ChangeWatcher | None = None

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.online_changed.emit(online)

    def run(self) -> None:
        watcher = self._watcher = ChangeWatcher(self._db, self._site_id,
                                                poll_interval=self._poll_interval)
        try:
            while not self.isInterruptionRequested():
                try:
                    changes = (watcher.paced_changes(self._pacer, 0.5) if self._pacer
                               else watcher.changes(timeout=0.5))
                except HallQueueError as exc:
                    log.warning("change feed: %s", exc)
                    self._set_online(False)
                    watcher.close()
                    watcher = self._watcher = ChangeWatcher(
                        self._db, self._site_id, poll_interval=self._poll_interval)
                    time.sleep(1.0)  # reconnect attempts once a second
                    continue
                except Exception:  # a driver error the core did not classify
                    log.exception("change feed failed; retrying")
                    self._set_online(False)
                    time.sleep(1.0)
                    continue
                was_offline = self._online is False
                self._set_online(True)
                if was_offline:  # after a reconnect, refresh fully whatever it says
                    changes = [everything(self._site_id, watcher.version)]
                self._pass_on(changes)
        finally:
            watcher.close()

    def _pass_on(self, changes: list[Change]) -> None:
        concerns = self.concerns
        self.received += len(changes)
        passed: Change | None = None
        for change in changes:
            if change.everything or concerns(change):
                passed = change if passed is None else passed.merged(change)
        if self._pacer is not None:
            passed = self._pacer.pace(passed)
        if passed is not None:  # one refresh reads everything up to now
            self.passed += 1
            self.changed.emit(passed)

    def read_started(self) -> None:
        """The screen began a read of its own (after the user's action): changes that
        arrived before it need no paced read of their own. Any thread."""
        if self._pacer is not None:
            self._pacer.read_started()

    def stop(self, wait_ms: int = 3000) -> bool:
        """Ask the thread to end and wait up to ``wait_ms`` for it; True if it ended. A
        thread still inside a database call then is detached and ends on its own."""
        self.requestInterruption()
        watcher = self._watcher
        if watcher is not None:
            watcher.interrupt()  # end a wait for changes now rather than at its timeout
        if self.wait(wait_ms):
            return True
        log.warning("change feed still inside a database call; it ends on its own")
        self.setParent(None)
        _outliving.add(self)
        self.finished.connect(self._forget, Qt.ConnectionType.QueuedConnection)
        if self.isFinished():  # ended between the wait and the connection
            self._forget()
        return False

    def _forget(self) -> None:
        self.wait()  # "finished" is emitted just before the thread really ends
        _outliving.discard(self)
