"""The change feed for Qt screens: a worker thread waits on :class:`shared.feed.
ChangeWatcher` and tells the GUI thread when the site changed or the database went
away and came back, so every screen shows the database's truth within a second."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QThread, Signal

from shared.db import Database
from shared.errors import HallQueueError
from shared.feed import ChangeWatcher

log = logging.getLogger(__name__)


class FeedThread(QThread):
    changed = Signal(int)  # new version
    online_changed = Signal(bool)

    def __init__(self, db: Database, site_id: int, *, poll_interval: float = 0.25,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._site_id = site_id
        self._poll_interval = poll_interval
        self._online: bool | None = None

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.online_changed.emit(online)

    def run(self) -> None:
        watcher = ChangeWatcher(self._db, self._site_id, poll_interval=self._poll_interval)
        try:
            while not self.isInterruptionRequested():
                try:
                    version = watcher.wait(timeout=0.5)
                except HallQueueError as exc:
                    log.warning("change feed: %s", exc)
                    self._set_online(False)
                    watcher.close()
                    watcher = ChangeWatcher(self._db, self._site_id,
                                            poll_interval=self._poll_interval)
                    time.sleep(1.0)  # reconnect attempts once a second
                    continue
                except Exception:  # a driver error the core did not classify
                    log.exception("change feed failed; retrying")
                    self._set_online(False)
                    time.sleep(1.0)
                    continue
                was_offline = self._online is False
                self._set_online(True)
                if version is not None or was_offline:
                    # After a reconnect, refresh fully even if the version looks the same.
                    self.changed.emit(watcher.version)
        finally:
            watcher.close()

    def stop(self) -> None:
        self.requestInterruption()
        self.wait(3000)
