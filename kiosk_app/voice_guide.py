"""Voice guidance at the kiosk (语音引导): reads the page aloud for those who cannot
read it well.

It uses the hall display's text-to-speech engine (:class:`kiosk_app.display.voice.
TtsEngine`: the system's offline voice, a Chinese one where there is one, after the
display's chime). Off by default; the citizen turns it on with the big button in the
header, and it reads every page shown until the kiosk returns to its start page. Sound
is a courtesy: without a speech engine the button still works and the kiosk is silent
(the log says why).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk_app.display.voice import TtsEngine, VoiceUnavailable, WavPlayer

log = logging.getLogger(__name__)

EngineFactory = Callable[[QObject], TtsEngine]


def system_engine(parent: QObject) -> TtsEngine:
    """The system's text-to-speech with the display's chime (where audio is installed)."""
    try:
        chime: WavPlayer | None = WavPlayer(parent)
    except VoiceUnavailable as exc:
        log.warning("voice guidance without a chime: %s", exc)
        chime = None
    return TtsEngine(parent, chime=chime)


class VoiceGuide(QObject):
    """Reads lines of text aloud while it is switched on; a new page stops the last."""

    def __init__(self, parent: QObject | None = None, *,
                 factory: EngineFactory = system_engine) -> None:
        super().__init__(parent)
        self.factory = factory
        self.enabled = False
        self.spoken: list[str] = []  # what was handed to the engine, for the log and tests
        self._engine: TtsEngine | None = None
        self._unavailable = False

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            self.stop()
        log.info("voice guidance %s", "on" if enabled else "off")

    def read(self, lines: list[str]) -> None:
        """Read ``lines`` (empty ones skipped) if guidance is on; stops what was playing."""
        if not self.enabled:
            return
        text = "。".join(line.strip().rstrip("。：:") for line in lines if line.strip())
        engine = self._get_engine()
        if engine is None or not text:
            return
        self.spoken.append(text)
        engine.speak(text, lambda: None)

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop()

    def _get_engine(self) -> TtsEngine | None:
        if self._engine is None and not self._unavailable:
            try:
                self._engine = self.factory(self)
            except VoiceUnavailable as exc:
                log.warning("voice guidance is silent: %s", exc)
                self._unavailable = True
        return self._engine
