"""The display's additions to shared.announce: per-reading WAVs and the text for TTS."""

from __future__ import annotations

import io
import wave

import pytest

from shared.announce import (
    CLIP_RATE,
    DEFAULT_GAP_MS,
    REPEAT_PAUSE_MS,
    announcement_wav,
    clip_sequence,
    join_clips,
    reading_wav,
    speech_text,
    wav_duration_seconds,
)
from shared.errors import UsageError


def frames(data: bytes) -> bytes:
    with wave.open(io.BytesIO(data), "rb") as clip:
        return clip.readframes(clip.getnframes())


@pytest.mark.parametrize(("number", "window"), [("A017", 3), ("B123", 12), ("Z9999", 105)])
def test_first_then_repeat_is_the_whole_announcement(number: str, window: int) -> None:
    """The first reading followed by a repeat is, sample for sample, the announcement spoken twice."""
    joined = frames(reading_wav(number, window, first=True)) + frames(
        reading_wav(number, window, first=False))
    assert joined == frames(announcement_wav(number, window, 2))


@pytest.mark.parametrize(("number", "window"), [("A017", 3), ("B123", 12), ("C001", 105)])
def test_reading_lengths_for_sample_calls(number: str, window: int) -> None:
    """A first reading lasts the clips plus gaps; a repeat, the sentence plus the pause."""
    names = clip_sequence(number, window)
    clips = sum(wav_duration_seconds(join_clips([name])) for name in names)
    gaps = (len(names) - 1) * DEFAULT_GAP_MS / 1000
    first = wav_duration_seconds(reading_wav(number, window, first=True))
    assert first == pytest.approx(clips + gaps, abs=2 / CLIP_RATE * len(names))
    chime = wav_duration_seconds(join_clips(["chime"]))
    repeat = wav_duration_seconds(reading_wav(number, window, first=False))
    sentence = first - chime - DEFAULT_GAP_MS / 1000
    assert repeat == pytest.approx(sentence + REPEAT_PAUSE_MS / 1000, abs=4 / CLIP_RATE)
    # A call must stay short enough for a busy hall: one reading well under 9 seconds.
    assert 2.0 < first < 9.0


@pytest.mark.parametrize(("number", "window", "text"), [
    ("A017", 3, "请 A 零一七 号，到 三 号窗口办理"),
    ("B123", 12, "请 B 一二三 号，到 十二 号窗口办理"),
    ("C001", 105, "请 C 零零一 号，到 一百零五 号窗口办理"),
    ("D0450", 20, "请 D 零四五零 号，到 二十 号窗口办理"),
])
def test_speech_text_spells_out_digits(number: str, window: int, text: str) -> None:
    """TTS gets ticket digits one by one and the window as a Chinese number, as the clips say them."""
    assert speech_text(number, window) == text


@pytest.mark.parametrize(("number", "window"), [("a017", 3), ("A01", 3), ("A017", 0), ("A017", 1000)])
def test_speech_text_refuses_bad_calls(number: str, window: int) -> None:
    """A malformed number or window is refused, as for the clips."""
    with pytest.raises(UsageError):
        speech_text(number, window)
