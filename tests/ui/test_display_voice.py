"""The display's voice engines: recorded clips, Qt's mock TTS engine, and no audio at all."""

from __future__ import annotations

import logging
import time
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QObject
from pytestqt.qtbot import QtBot

from kiosk_app.display import voice
from kiosk_app.display.announcer import Announcement, Announcer, Reading
from kiosk_app.display.voice import (
    ClipEngine,
    SilentEngine,
    TtsEngine,
    VoiceUnavailable,
    WavPlayer,
    choose_voice,
    create_engine,
)
from shared.announce import CLIP_RATE, clip_sequence, join_clips, speech_text

# Qt's speech module needs the system's sound libraries (libpulse); without them these
# tests skip and say so (tools/install-system-deps.sh installs them, and CI has them).
QTextToSpeech = pytest.importorskip(
    "PySide6.QtTextToSpeech", reason="Qt text-to-speech cannot load (libpulse0 missing?)",
    exc_type=ImportError).QTextToSpeech

WAIT_MS = 10_000


class RecordingSpeech(QTextToSpeech):
    """Qt's mock TTS engine, remembering every text handed to it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("mock", parent)
        self.texts: list[str] = []

    def say(self, text: str) -> None:
        self.texts.append(text)
        super().say(text)


def idle(announcer: Announcer) -> bool:
    return announcer.speaking is None and not announcer.waiting


def test_tts_speaks_the_call_twice_in_chinese_words(qtbot: QtBot) -> None:
    """The TTS engine gets the call with digits spelt out, once per reading, and reports the end."""
    speech = RecordingSpeech()
    announcer = Announcer(TtsEngine(speech=speech))
    announcer.announce(Announcement(1, "A017", 3))

    qtbot.waitUntil(lambda: idle(announcer), timeout=WAIT_MS)
    assert speech.texts == ["请 A 零一七 号，到 三 号窗口办理"] * 2


def test_two_letter_prefix_is_announced_letter_by_letter(qtbot: QtBot) -> None:
    """AB017 (a two-letter prefix the catalog allows) is spoken, each letter on its own,
    by the TTS engine as by the clips."""
    speech = RecordingSpeech()
    announcer = Announcer(TtsEngine(speech=speech))
    announcer.announce(Announcement(1, "AB017", 3))
    qtbot.waitUntil(lambda: idle(announcer), timeout=WAIT_MS)
    assert speech.texts == ["请 A B 零一七 号，到 三 号窗口办理"] * 2
    assert clip_sequence("AB017", 3)[1:7] == ["qing", "A", "B", "0", "1", "7"]


def test_tts_in_a_rush_speaks_each_once(qtbot: QtBot) -> None:
    """With calls queued behind, each is handed to the TTS engine once, the last one twice."""
    speech = RecordingSpeech()
    announcer = Announcer(TtsEngine(speech=speech))
    for event_id, (number, window) in enumerate([("A001", 1), ("B002", 12), ("C003", 5)]):
        announcer.announce(Announcement(event_id, number, window))

    qtbot.waitUntil(lambda: idle(announcer), timeout=WAIT_MS)
    assert speech.texts == [speech_text("A001", 1), speech_text("B002", 12),
                            speech_text("C003", 5), speech_text("C003", 5)]


def test_tts_plays_the_chime_first(qtbot: QtBot) -> None:
    """With a player for the chime, the sentence is spoken only after the chime ended."""
    speech = RecordingSpeech()
    player = WavPlayer()
    engine = TtsEngine(speech=speech, chime=player)
    said_while_chiming: list[bool] = []
    chime_done: list[bool] = []
    original_play = player.play

    def play(wav: bytes, on_done: voice.Done) -> None:
        def done() -> None:
            chime_done.append(True)
            on_done()
        original_play(wav, done)

    player.play = play  # type: ignore[method-assign]
    speech.sayingWord.connect(lambda *_: said_while_chiming.append(not chime_done))
    finished: list[bool] = []
    engine.start(Announcement(1, "A017", 3), Reading.FIRST, lambda: finished.append(True))

    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert chime_done == [True] and said_while_chiming and not any(said_while_chiming)
    assert speech.texts == [speech_text("A017", 3)]
    player.close()


class FakeVoice:
    def __init__(self, name: str, locale: str) -> None:
        self._name, self._locale = name, QLocale(locale)

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return self._locale


@pytest.mark.parametrize(("voices", "chosen"), [
    ([("Anne", "en_GB"), ("Mei-Jia", "zh_TW"), ("Tingting", "zh_CN")], "Tingting"),
    ([("Anne", "en_GB"), ("Sin-ji", "zh_HK"), ("Yun", "zh_Hans_SG")], "Yun"),
    ([("Anne", "en_GB"), ("Sin-ji", "zh_HK")], "Sin-ji"),
    ([("Anne", "en_GB"), ("Kari", "fi_FI")], None),
    ([], None),
])
def test_a_chinese_voice_is_chosen_where_there_is_one(voices: list[tuple[str, str]],
                                                      chosen: str | None) -> None:
    """Mainland Mandarin first, then Simplified-script Chinese, then any Chinese; else none."""
    found = choose_voice([FakeVoice(name, locale) for name, locale in voices])
    assert (found.name() if found else None) == chosen


def test_mock_engine_without_chinese_keeps_its_voice_and_warns(qtbot: QtBot,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """Qt's mock engine has no Chinese voice: its default voice is kept and the log says so."""
    speech = RecordingSpeech()
    default = speech.voice().name()
    with caplog.at_level(logging.WARNING, logger=voice.__name__):
        TtsEngine(speech=speech)
    assert speech.voice().name() == default
    assert "no Chinese voice" in caplog.text


def test_tts_that_cannot_start_falls_back_to_clips(qtbot: QtBot) -> None:
    """An unknown or broken TTS engine is reported and the recorded clips are used instead."""
    parent = QObject()
    with pytest.raises(VoiceUnavailable):
        TtsEngine(parent, engine_name="no-such-engine")
    assert isinstance(create_engine("tts", parent, tts_engine="no-such-engine"), ClipEngine)


def test_no_multimedia_library_means_silence_not_a_crash(qtbot: QtBot,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    """Without Qt's multimedia library calls are still processed, silently, with a warning."""
    monkeypatch.setattr(voice, "QtMultimedia", None)
    with caplog.at_level(logging.WARNING, logger=voice.__name__):
        engine = create_engine("clips", QObject())
    assert isinstance(engine, SilentEngine)
    assert "silent" in caplog.text
    announcer = Announcer(engine)
    announcer.announce(Announcement(1, "A001", 1))
    announcer.announce(Announcement(2, "A002", 2))
    assert idle(announcer) and announcer.has_seen(2)


def test_no_tts_library_falls_back(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Qt's text-to-speech library the "tts" setting still gives working clips."""
    monkeypatch.setattr(voice, "QtTextToSpeech", None)
    assert isinstance(create_engine("tts", QObject()), ClipEngine)


def test_unknown_voice_setting_is_refused() -> None:
    """A voice setting other than clips or tts is an error naming the value."""
    with pytest.raises(ValueError, match="speaker"):
        create_engine("speaker", QObject())


def tiny_clips(folder: Path) -> Path:
    """Every clip a call to window 3 of A017 needs, each 20 ms of silence."""
    for name in set(clip_sequence("A017", 3)):
        with wave.open(str(folder / f"{name}.wav"), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(CLIP_RATE)
            clip.writeframes(b"\0\0" * (CLIP_RATE // 50))
    return folder


def test_clip_engine_reports_each_reading_ended(qtbot: QtBot, tmp_path: Path) -> None:
    """The clip engine plays both readings through Qt multimedia and reports each end once."""
    player = WavPlayer()
    player.play_without_device = True  # through Qt's player, even with no audio device here
    announcer = Announcer(ClipEngine(player, sounds_dir=tiny_clips(tmp_path)))
    announcer.announce(Announcement(1, "A017", 3))
    qtbot.waitUntil(lambda: idle(announcer), timeout=WAIT_MS)
    player.close()


def test_a_player_that_never_reports_the_end_is_cut_off(qtbot: QtBot,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """If the audio backend never says playback ended, the watchdog ends it so the queue moves on."""
    monkeypatch.setattr(voice, "WAV_WATCHDOG_MARGIN_MS", 100)
    player = WavPlayer()
    player.play_without_device = True
    player._player.blockSignals(True)  # a backend that goes quiet
    ended: list[bool] = []
    player.play(join_clips(["qing"]), lambda: ended.append(True))
    qtbot.waitUntil(lambda: bool(ended), timeout=WAIT_MS)
    assert ended == [True]
    player.close()


def test_with_no_audio_device_a_playback_takes_its_time_without_qt_s_player(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """No device to hear it: the player is never started (stopping Qt's player while it
    played into no device could hang the app for good), the playback still lasts as long
    as its sound, and stopping it early reports nothing."""
    from PySide6.QtMultimedia import QMediaPlayer

    player = WavPlayer()
    monkeypatch.setattr(WavPlayer, "has_device", property(lambda _self: False))
    wav = join_clips(["qing"])
    ended: list[float] = []
    started = time.monotonic()
    player.play(wav, lambda: ended.append(time.monotonic() - started))
    assert player._player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    qtbot.waitUntil(lambda: bool(ended), timeout=WAIT_MS)
    assert ended[0] >= voice.wav_duration_seconds(wav) - 0.05
    stopped: list[bool] = []
    player.play(wav, lambda: stopped.append(True))
    player.stop()  # the citizen turned the page
    qtbot.wait(round(voice.wav_duration_seconds(wav) * 1000) + 200)
    assert stopped == [] and len(ended) == 1
    player.close()
