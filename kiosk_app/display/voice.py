"""The voice engines behind ``config.display.voice``: joined WAV clips or system TTS.

Sound is a courtesy, never a reason to fail: a missing audio library gives the
:class:`SilentEngine` (with a warning in the log), a missing device lets Qt play into
nothing, and every playback reports its end exactly once — normally, on error, or from a
watchdog when a backend never says it finished — so the queue of announcements always
moves on.

Clip playback uses QMediaPlayer on a temporary WAV file: unlike QSoundEffect it converts
our 22050 Hz mono clips to whatever the device wants, and it reports EndOfMedia.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal

from kiosk_app.display.announcer import Announcement, Reading, VoiceEngine
from shared.announce import (
    REPEAT_PAUSE_MS,
    join_clips,
    reading_wav,
    speech_text,
    wav_duration_seconds,
)

QtMultimedia: ModuleType | None
QtTextToSpeech: ModuleType | None
# Both are optional parts of a Qt install; without them the display is silent.
try:
    from PySide6 import QtMultimedia
except ImportError:
    QtMultimedia = None
try:
    from PySide6 import QtTextToSpeech
except ImportError:
    QtTextToSpeech = None

log = logging.getLogger(__name__)

#: Extra time a backend gets to report the end of a WAV before the watchdog steps in.
WAV_WATCHDOG_MARGIN_MS = 3000
#: The longest a TTS engine may take for one sentence before the watchdog steps in.
TTS_WATCHDOG_MS = 20_000

Done = Callable[[], None]


class VoiceUnavailable(Exception):
    """The chosen voice engine cannot run on this machine."""


class SilentEngine:
    """Plays nothing and finishes at once: the display still shows every call."""

    def start(self, announcement: Announcement, reading: Reading, on_done: Done) -> None:
        on_done()

    def stop(self) -> None:
        return None


class WavPlayer(QObject):
    """Plays WAV bytes through QMediaPlayer and reports the end of each playback once.

    With no audio output device nothing can be heard, and Qt's player (its FFmpeg backend)
    was seen to hang for good when stopped while playing into no device (a kiosk reading
    the guide aloud with its speakers unplugged would freeze when the citizen turned the
    page): then the playback's time passes on a timer instead, the player untouched."""

    # Tests of the player itself set it, to play through Qt even where there is no device.
    play_without_device = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if QtMultimedia is None:
            raise VoiceUnavailable("the Qt multimedia library is not installed")
        self._devices = QtMultimedia.QMediaDevices(self)
        self._output = QtMultimedia.QAudioOutput(self)
        self._player = QtMultimedia.QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._devices.audioOutputsChanged.connect(self._report_device)
        self._watchdog = QTimer(self, singleShot=True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._silence = QTimer(self, singleShot=True)  # a playback with no device to hear it
        self._silence.timeout.connect(self._finish)
        self._playing = False  # the player was started and not stopped since
        self._folder = Path(tempfile.mkdtemp(prefix="hallq-voice-"))
        # Removed with the player, or at exit at the latest.
        self._remove_folder = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
        self._count = 0
        self._on_done: Done | None = None
        self._had_device: bool | None = None
        self._report_device()

    @property
    def has_device(self) -> bool:
        return not self._devices.defaultAudioOutput().isNull()

    def _report_device(self) -> None:
        has_device = self.has_device
        if has_device != self._had_device:
            if has_device:
                log.info("audio output: %s", self._devices.defaultAudioOutput().description())
            else:
                log.warning("no audio output device: announcements are silent until one appears")
            self._had_device = has_device

    def play(self, wav: bytes, on_done: Done) -> None:
        """Play ``wav``; ``on_done`` runs once when it ended, failed or timed out."""
        self.stop()  # a caller that starts anew has given up on the earlier playback
        self._report_device()
        if not self.has_device and not self.play_without_device:
            self._on_done = on_done
            self._silence.start(round(wav_duration_seconds(wav) * 1000))
            return
        self._output.setDevice(self._devices.defaultAudioOutput())  # follow the default
        self._playing = True
        self._count += 1
        path = self._folder / f"reading-{self._count}.wav"
        path.write_bytes(wav)
        self._on_done = on_done
        self._watchdog.start(round(wav_duration_seconds(wav) * 1000) + WAV_WATCHDOG_MARGIN_MS)
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()
        self._remove_older_files(path)

    def stop(self) -> None:
        self._on_done = None
        self._watchdog.stop()
        self._silence.stop()
        if self._playing:
            self._playing = False
            self._player.stop()

    def close(self) -> None:
        self.stop()
        self._player.setSource(QUrl())
        self._remove_folder()

    def _remove_older_files(self, keep: Path) -> None:
        for old in self._folder.glob("reading-*.wav"):
            if old != keep:
                # On Windows a file the backend still holds cannot go; it goes next time.
                with contextlib.suppress(OSError):
                    old.unlink()

    def _on_status(self, status: Any) -> None:
        assert QtMultimedia is not None
        statuses = QtMultimedia.QMediaPlayer.MediaStatus
        if status == statuses.EndOfMedia:
            self._finish()
        elif status == statuses.InvalidMedia:
            log.warning("audio backend cannot play the announcement")
            self._finish()

    def _on_error(self, error: Any, message: str) -> None:
        log.warning("audio playback failed: %s", message or error)
        self._finish()

    def _on_watchdog(self) -> None:
        log.warning("audio backend did not report the end of an announcement; moving on")
        self._playing = False
        self._player.stop()
        self._finish()

    def _finish(self) -> None:
        self._watchdog.stop()
        self._silence.stop()
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done()


class ClipEngine:
    """Speaks a call by joining the pre-recorded clips of ``resources/sounds``."""

    def __init__(self, player: WavPlayer, *, sounds_dir: Path | None = None) -> None:
        self._sounds_dir = sounds_dir
        self._player = player

    def start(self, announcement: Announcement, reading: Reading, on_done: Done) -> None:
        wav = reading_wav(announcement.number, announcement.window,
                          first=reading is Reading.FIRST, sounds_dir=self._sounds_dir)
        self._player.play(wav, on_done)

    def stop(self) -> None:
        self._player.stop()


class VoiceLike(Protocol):
    def locale(self) -> QLocale: ...


V = TypeVar("V", bound=VoiceLike)


def choose_voice(voices: Iterable[V]) -> V | None:
    """The voice to read Chinese announcements: Mandarin of mainland China first, then
    any other Simplified-script Chinese voice, then any Chinese voice; None if there is
    no Chinese voice at all."""
    chinese = [v for v in voices if v.locale().language() == QLocale.Language.Chinese]

    def rank(voice: V) -> int:
        locale = voice.locale()
        if locale.territory() == QLocale.Country.China:
            return 0
        return 1 if locale.script() == QLocale.Script.SimplifiedHanScript else 2

    return min(chinese, key=rank, default=None)


class TtsEngine(QObject):
    """Speaks a call with the system's text-to-speech (QtTextToSpeech), chime first.

    ``failed`` carries the engine's error when a text could not be spoken (no audio
    device, speech-dispatcher down): the kiosk's voice guidance tells the citizen."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, speech: Any = None, engine_name: str = "",
                 chime: WavPlayer | None = None, sounds_dir: Path | None = None) -> None:
        """``speech`` is a QTextToSpeech to use (tests); else one on ``engine_name`` (empty:
        the system's default engine)."""
        super().__init__(parent)
        if QtTextToSpeech is None:
            raise VoiceUnavailable("the Qt text-to-speech library is not installed")
        tts = QtTextToSpeech.QTextToSpeech
        if speech is None:
            speech = tts(engine_name, self) if engine_name else tts(self)
        if speech.state() == tts.State.Error:
            raise VoiceUnavailable(f"text-to-speech engine {speech.engine()!r}: "
                                   f"{speech.errorString() or 'not available'}")
        self._speech = speech
        self._chime = chime
        self._chime_wav = join_clips(["chime"], sounds_dir) if chime is not None else b""
        self._use_chinese_voice()
        self._on_done: Done | None = None
        self._saying = False
        self._started_speaking = False
        speech.stateChanged.connect(self._on_state)
        self._pause = QTimer(self, singleShot=True)
        self._watchdog = QTimer(self, singleShot=True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._pending_text = ""
        self._pause.timeout.connect(lambda: self._say(self._pending_text))

    def _use_chinese_voice(self) -> None:
        voice = choose_voice(self._speech.allVoices(None))
        if voice is None:
            log.warning("text-to-speech engine %r has no Chinese voice; announcements will be "
                        "read by its default voice %r", self._speech.engine(),
                        self._speech.voice().name())
            return
        self._speech.setVoice(voice)
        log.info("text-to-speech voice %r (%s)", voice.name(), voice.locale().name())

    def start(self, announcement: Announcement, reading: Reading, on_done: Done) -> None:
        text = speech_text(announcement.number, announcement.window)
        if reading is not Reading.REPEAT:
            self.speak(text, on_done)
            return
        self.stop()
        self._on_done = on_done
        self._pending_text = text
        self._pause.start(REPEAT_PAUSE_MS)

    def speak(self, text: str, on_done: Done) -> None:
        """Read any text, chime first (also the kiosk's voice guidance, 语音引导)."""
        self.stop()
        self._on_done = on_done
        self._pending_text = text
        if self._chime is not None:
            self._chime.play(self._chime_wav, lambda: self._say(self._pending_text))
        else:
            self._say(self._pending_text)

    def stop(self) -> None:
        self._on_done = None
        self._saying = False
        self._pause.stop()
        self._watchdog.stop()
        if self._chime is not None:
            self._chime.stop()
        self._speech.stop()

    def _say(self, text: str) -> None:
        if self._on_done is None:
            return  # stopped while the chime or the pause was playing
        self._saying = True
        self._started_speaking = False
        self._watchdog.start(TTS_WATCHDOG_MS)
        self._speech.say(text)
        states = self._speech.State
        state = self._speech.state()
        if state == states.Error:
            log.warning("text-to-speech failed: %s", self._speech.errorString())
            self._finish()
            self.failed.emit(self._speech.errorString())
        elif state != states.Ready:
            self._started_speaking = True

    def _on_state(self, state: Any) -> None:
        if not self._saying:
            return
        states = self._speech.State
        if state in (states.Speaking, states.Synthesizing):
            self._started_speaking = True
        elif state == states.Error:
            log.warning("text-to-speech failed: %s", self._speech.errorString())
            self._finish()
            self.failed.emit(self._speech.errorString())
        elif state == states.Ready and self._started_speaking:
            self._finish()

    def _on_watchdog(self) -> None:
        log.warning("text-to-speech did not finish an announcement; moving on")
        self._speech.stop()
        self._finish()

    def _finish(self) -> None:
        self._saying = False
        self._watchdog.stop()
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done()


def create_engine(kind: str, parent: QObject, *, sounds_dir: Path | None = None,
                  tts_engine: str = "") -> VoiceEngine:
    """The engine for ``config.display.voice`` ("clips" or "tts"). TTS that cannot start
    falls back to the clips; without Qt's multimedia library there is no sound at all."""
    if kind not in ("clips", "tts"):
        raise ValueError(f"display.voice {kind!r} is not one of clips, tts")
    player: WavPlayer | None = None
    try:
        player = WavPlayer(parent)
    except VoiceUnavailable as exc:
        log.warning("%s: no chime and no recorded clips", exc)
    if kind == "tts":
        try:
            return TtsEngine(parent, engine_name=tts_engine, chime=player, sounds_dir=sounds_dir)
        except VoiceUnavailable as exc:
            log.warning("text-to-speech is not available (%s); using the recorded clips", exc)
    if player is None:
        log.warning("announcements are silent; the display still shows every call")
        return SilentEngine()
    return ClipEngine(player, sounds_dir=sounds_dir)
