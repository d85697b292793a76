"""When to speak which call: a queue of announcements in front of a voice engine.

No Qt and no audio here, so the rules are tested with a fake engine:

- announcements are spoken one after another, never over each other, none dropped;
- each is spoken twice (chime and sentence, then the sentence again), except while
  more are waiting: then the second reading is skipped, decided just before it would
  start, so a morning rush does not build a minute-long backlog;
- the same event is never announced twice (the display re-reads recent calls on every
  change), while a recall, being a new event, is announced again;
- a call still waiting its turn is not queued a second time if a recall of the same
  number to the same window arrives (the citizen hears it once, a moment later).

The engine plays one reading at a time (:class:`Reading`) and calls ``on_done`` once
when it ended, failed or timed out.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

log = logging.getLogger(__name__)

#: Readings of the sentence when nothing else waits (one when others wait).
FULL_READINGS = 2
#: Event ids remembered to announce each exactly once; far more than a screen re-reads.
SEEN_MEMORY = 2000


@dataclass(frozen=True)
class Announcement:
    """One call to announce: the event that caused it, the ticket number and window."""

    event_id: int
    number: str
    window: int


class Reading(Enum):
    """Which part of an announcement to play."""

    FIRST = "first"  # the chime, then the sentence
    REPEAT = "repeat"  # a short pause, then the sentence again


class VoiceEngine(Protocol):
    """Plays one reading; must call ``on_done`` exactly once when it is over."""

    def start(self, announcement: Announcement, reading: Reading, on_done: Callable[[], None]
              ) -> None: ...

    def stop(self) -> None: ...


class Announcer:
    """Queues announcements and feeds them to a :class:`VoiceEngine` one at a time."""

    def __init__(self, engine: VoiceEngine) -> None:
        self._engine = engine
        self._waiting: deque[Announcement] = deque()
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._current: Announcement | None = None
        self._readings_done = 0
        self._current_token = 0
        self._playing_token: int | None = None
        self._pumping = False

    # --- state, for the display and tests -------------------------------------------------
    @property
    def speaking(self) -> Announcement | None:
        """The announcement being played, if any."""
        return self._current if self._playing_token is not None else None

    @property
    def waiting(self) -> list[Announcement]:
        """Announcements queued behind the current one, oldest first."""
        return list(self._waiting)

    def has_seen(self, event_id: int) -> bool:
        """Whether this event was already announced or deliberately skipped."""
        return event_id in self._seen

    # --- input ------------------------------------------------------------------------------
    def mark_seen(self, event_ids: Iterable[int]) -> None:
        """Remember events without announcing them (calls made before the display started)."""
        for event_id in event_ids:
            self._remember(event_id)

    def announce(self, announcement: Announcement) -> bool:
        """Queue an announcement; False if its event was already handled."""
        if announcement.event_id in self._seen:
            return False
        self._remember(announcement.event_id)
        if any(_same_call(announcement, queued) for queued in self._waiting):
            log.info("%s to window %s is already waiting to be announced",
                     announcement.number, announcement.window)
            return False
        self._waiting.append(announcement)
        self._pump()
        return True

    def stop(self) -> None:
        """Forget the queue and stop the engine (the display is closing)."""
        self._waiting.clear()
        self._current = None
        self._playing_token = None  # a late on_done from the stopped playback is ignored
        self._engine.stop()

    # --- scheduling ------------------------------------------------------------------------
    def _remember(self, event_id: int) -> None:
        self._seen[event_id] = None
        while len(self._seen) > SEEN_MEMORY:
            self._seen.popitem(last=False)

    def _pump(self) -> None:
        # A loop rather than recursion: an engine may finish synchronously (no audio), and
        # a long queue must not deepen the stack.
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._playing_token is None:
                if self._current is not None and self._wants_another_reading():
                    self._play(self._current, Reading.REPEAT)
                elif self._waiting:
                    self._current = self._waiting.popleft()
                    self._readings_done = 0
                    self._play(self._current, Reading.FIRST)
                else:
                    self._current = None
                    break
        finally:
            self._pumping = False

    def _wants_another_reading(self) -> bool:
        return self._readings_done < FULL_READINGS and not self._waiting

    def _play(self, announcement: Announcement, reading: Reading) -> None:
        self._current_token += 1
        token = self._current_token
        self._playing_token = token
        try:
            self._engine.start(announcement, reading, lambda: self._finished(token))
        except Exception:
            # Sound must never stop the display; the next call still gets its turn.
            log.exception("voice engine failed to announce %s", announcement.number)
            self._finished(token)

    def _finished(self, token: int) -> None:
        if token != self._playing_token:
            return  # a second or late report about playback already handled
        self._playing_token = None
        self._readings_done += 1
        self._pump()


def _same_call(a: Announcement, b: Announcement) -> bool:
    return a.number == b.number and a.window == b.window
