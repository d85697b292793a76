"""Rules for turning a call into clip names and a joined announcement WAV."""

from __future__ import annotations

import string
import wave
from pathlib import Path

import pytest

from resources import resource_path
from shared.announce import (
    DEFAULT_GAP_MS,
    REPEAT_PAUSE_MS,
    announcement_wav,
    call_text,
    clip_sequence,
    join_clips,
    speech_text,
    wav_duration_seconds,
)
from shared.errors import UsageError

SOUNDS = resource_path("sounds")
RATE = 22050


def frames_of(path: Path) -> int:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes()


def ms_frames(ms: int) -> int:
    return round(ms * RATE / 1000)


def every_sequence() -> list[list[str]]:
    """A sequence for every letter, every digit and every window number 1..999."""
    numbers = [f"{letter}{digits}" for letter in string.ascii_uppercase
               for digits in ("012345", "6789")]
    windows = range(1, 1000)
    return [clip_sequence(n, 1) for n in numbers] + [clip_sequence("A001", w) for w in windows]


def test_call_text() -> None:
    """The displayed sentence is 请 <number> 号到 <window> 号窗口办理."""
    assert call_text("A017", 3) == "请 A017 号到 3 号窗口办理"


def test_sequence_a017_window_3() -> None:
    """A ticket number is read letter then digit by digit, a single-digit window as that digit."""
    assert clip_sequence("A017", 3) == [
        "chime", "qing", "A", "0", "1", "7", "hao", "dao", "3", "hao_chuangkou_banli",
    ]


def test_sequence_b123_window_12() -> None:
    """Window 12 is read 十二, without a leading 一."""
    assert clip_sequence("B123", 12) == [
        "chime", "qing", "B", "1", "2", "3", "hao", "dao", "shi", "2", "hao_chuangkou_banli",
    ]


def test_longer_number_is_read_digit_by_digit() -> None:
    """A four-digit ticket number is read as four separate digits."""
    assert clip_sequence("A1234", 1)[2:7] == ["A", "1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("window", "spoken"),
    [
        (10, ["shi"]),
        (20, ["2", "shi"]),
        (99, ["9", "shi", "9"]),
        (100, ["1", "bai"]),
        (105, ["1", "bai", "0", "5"]),
        (110, ["1", "bai", "1", "shi"]),
        (999, ["9", "bai", "9", "shi", "9"]),
    ],
)
def test_window_numbers_read_naturally(window: int, spoken: list[str]) -> None:
    """A window number is read as a Chinese number: 二十, 一百零五, 一百一十."""
    sequence = clip_sequence("A001", window)
    assert sequence[sequence.index("dao") + 1 : -1] == spoken


def test_two_letter_prefix_is_spoken_letter_by_letter() -> None:
    """AB017 (the catalog allows two-letter prefixes) is shown and spoken: A, B, then
    each digit; the WAV is exactly those clips joined."""
    assert call_text("AB017", 3) == "请 AB017 号到 3 号窗口办理"
    sequence = clip_sequence("AB017", 3)
    assert sequence == ["chime", "qing", "A", "B", "0", "1", "7", "hao", "dao", "3",
                        "hao_chuangkou_banli"]
    assert speech_text("AB017", 12) == "请 A B 零一七 号，到 十二 号窗口办理"
    wav = announcement_wav("AB017", 3, repeat=1)
    assert wav == join_clips(sequence)
    one_letter = wav_duration_seconds(announcement_wav("A017", 3, repeat=1))
    b_clip = frames_of(SOUNDS / "B.wav") + ms_frames(DEFAULT_GAP_MS)
    assert wav_duration_seconds(wav) == pytest.approx(one_letter + b_clip / RATE, abs=1e-9)


@pytest.mark.parametrize("number", ["", "A01", "017", "a017", "ABC017", "Ab017", "A1234567",
                                    "A０17", "Ａ017", "A017\n", " A017", "A-17"])
def test_malformed_number_is_refused(number: str) -> None:
    """A number that is not one or two capital letters and 3 to 6 ASCII digits is
    refused, by name."""
    with pytest.raises(UsageError, match="ticket number") as caught:
        clip_sequence(number, 3)
    assert repr(number) in str(caught.value)


@pytest.mark.parametrize("window", [0, -1, 1000, True, 3.0, "3"])
def test_bad_window_is_refused(window: object) -> None:
    """A window outside 1..999, or not an int, is refused, naming the value."""
    with pytest.raises(UsageError, match="Window number") as caught:
        clip_sequence("A017", window)  # type: ignore[arg-type]
    assert repr(window) in str(caught.value)
    with pytest.raises(UsageError):
        call_text("A017", window)  # type: ignore[arg-type]


def test_joined_duration_is_clips_plus_gaps() -> None:
    """A joined WAV lasts exactly the clips' lengths plus one gap between each pair."""
    names = clip_sequence("B123", 105)
    expected = sum(frames_of(SOUNDS / f"{n}.wav") for n in names)
    expected += ms_frames(DEFAULT_GAP_MS) * (len(names) - 1)
    assert wav_duration_seconds(join_clips(names)) == pytest.approx(expected / RATE, abs=1e-9)


def test_repeat_adds_one_sentence_and_pause() -> None:
    """Each extra repeat adds exactly one spoken sentence (no chime) and one pause."""
    sentence = wav_duration_seconds(join_clips(clip_sequence("A017", 3)[1:]))
    once = wav_duration_seconds(announcement_wav("A017", 3, repeat=1))
    twice = wav_duration_seconds(announcement_wav("A017", 3, repeat=2))
    assert twice - once == pytest.approx(sentence + ms_frames(REPEAT_PAUSE_MS) / RATE, abs=1e-9)


def test_single_announcement_is_chime_then_sentence() -> None:
    """With repeat=1 the announcement is the same as joining the full clip sequence."""
    assert announcement_wav("A017", 3, repeat=1) == join_clips(clip_sequence("A017", 3))


def test_every_named_clip_exists_in_the_one_format() -> None:
    """Every clip any call can name is shipped as non-empty 16-bit PCM mono 22050 Hz."""
    names = {name for sequence in every_sequence() for name in sequence}
    for name in sorted(names):
        path = SOUNDS / f"{name}.wav"
        assert path.is_file(), f"missing clip {path}"
        with wave.open(str(path), "rb") as clip:
            assert (clip.getsampwidth(), clip.getnchannels(), clip.getframerate()) == (
                2, 1, RATE), path
            assert 0 < clip.getnframes() <= 2 * RATE, f"{path} is empty or over 2 s"


def test_clips_index_lists_every_clip() -> None:
    """clips.txt names every shipped WAV, so a hall knows what to record."""
    listed = {line.split("\t")[0] for line in (SOUNDS / "clips.txt").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert listed == {path.name for path in SOUNDS.glob("*.wav")}


def test_clip_in_another_format_is_refused(tmp_path: Path) -> None:
    """A clip that is not 16-bit mono 22050 Hz is refused with an error naming its file."""
    with wave.open(str(tmp_path / "qing.wav"), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"\x00" * 400)
    with pytest.raises(UsageError, match=r"qing\.wav.*--normalise-only"):
        join_clips(["qing"], sounds_dir=tmp_path)


def test_missing_clip_is_named(tmp_path: Path) -> None:
    """A missing clip file is reported with its path."""
    with pytest.raises(UsageError, match=r"hao\.wav is missing"):
        join_clips(["hao"], sounds_dir=tmp_path)


@pytest.mark.parametrize("name", ["../qing", "", "qing.wav"])
def test_clip_name_cannot_leave_the_folder(name: str) -> None:
    """A clip name is a bare file stem; anything path-like is refused."""
    with pytest.raises(UsageError, match="clip name"):
        join_clips([name])


def test_repeat_below_one_is_refused() -> None:
    """An announcement must speak the sentence at least once."""
    with pytest.raises(UsageError, match="Repeat count 0"):
        announcement_wav("A017", 3, repeat=0)
