"""Turn a call ("A017 to window 3") into the hall display's spoken announcement.

The announcement is pre-recorded clips joined end to end: a chime, then
"请 A017 号到 3 号窗口办理". The ticket number is read digit by digit (A 零一七), as halls
do; the window number is read as a number (三, 十二, 二十, 一百零五). Clips live in
``resources/sounds/`` and must all be 16-bit PCM mono 22050 Hz, so joining is a plain
byte concatenation; ``tools/build_sounds.py --normalise-only`` converts a hall's own
recordings.

No Qt here: the display plays the returned WAV bytes however it likes.
"""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

from resources import resource_path
from shared.errors import UsageError
from shared.ticket_number import parse_number

CLIP_RATE = 22050
CLIP_SAMPLE_WIDTH = 2
CLIP_CHANNELS = 1

MIN_WINDOW = 1
MAX_WINDOW = 999

DEFAULT_GAP_MS = 60
# Between the two readings of the sentence; long enough to hear them as separate calls.
REPEAT_PAUSE_MS = 800

# Clip names become file names, so nothing that could leave the sounds folder.
_CLIP_NAME = re.compile(r"[A-Za-z0-9_]+")


def _check_number(number: str) -> str:
    """The number as shared.ticket_number defines it (AB017 too); UsageError if not."""
    return parse_number(number).text


def _check_window(window_number: int) -> int:
    # bool is an int subclass; True as a window number is always a bug upstream.
    if (
        not isinstance(window_number, int)
        or isinstance(window_number, bool)
        or not MIN_WINDOW <= window_number <= MAX_WINDOW
    ):
        raise UsageError(
            f"窗口号 {window_number!r} 无效：须为 {MIN_WINDOW} 到 {MAX_WINDOW} 的整数 "
            f"(Window number {window_number!r} is not valid: expected a whole number "
            f"from {MIN_WINDOW} to {MAX_WINDOW})"
        )
    return window_number


def call_text(number: str, window_number: int) -> str:
    """The sentence the display shows and speaks, e.g. ``请 A017 号到 3 号窗口办理``."""
    return f"请 {_check_number(number)} 号到 {_check_window(window_number)} 号窗口办理"


# How a text-to-speech engine should say each clip: ticket digits as single Chinese
# digits (A017 as A 零一七, never "A seventeen"), window numbers as a Chinese number.
_CLIP_HANZI = {**{str(d): hanzi for d, hanzi in enumerate("零一二三四五六七八九")}, "shi": "十", "bai": "百"}


def speech_text(number: str, window_number: int) -> str:
    """The sentence handed to a text-to-speech engine, written the way it must be read:
    A017 at window 12 → ``请 A 零一七 号，到 十二 号窗口办理``; AB017 → ``请 A B 零一七 号…``.

    Digits are spelt out in Chinese because engines read "A017" as "A seventeen" or in
    English; each letter stays a letter, spaced so that "AB" is not read as a word.
    """
    parsed = parse_number(number)
    letters = " ".join(parsed.prefix)
    ticket = "".join(_CLIP_HANZI[d] for d in parsed.digits)
    window = "".join(_CLIP_HANZI[clip] for clip in window_clips(window_number))
    return f"请 {letters} {ticket} 号，到 {window} 号窗口办理"


def window_clips(window_number: int) -> list[str]:
    """Clip names reading a window number in Chinese: 12 → 十二, 20 → 二十, 105 → 一百零五."""
    n = _check_window(window_number)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    clips: list[str] = []
    if hundreds:
        clips += [str(hundreds), "bai"]
    if tens:
        # 十二 on its own, but 一百一十 after a hundred.
        clips += ["shi"] if tens == 1 and not hundreds else [str(tens), "shi"]
    elif hundreds and ones:
        clips.append("0")  # 一百零五: the skipped tens place is read as 零
    if ones:
        clips.append(str(ones))
    return clips


def clip_sequence(number: str, window_number: int) -> list[str]:
    """Clip names for one call, chime first: A017 at window 3 →
    chime qing A 0 1 7 hao dao 3 hao_chuangkou_banli (AB017: … qing A B 0 1 7 …)."""
    number = _check_number(number)
    return [
        "chime",
        "qing",
        *number,  # each letter, then each digit on its own
        "hao",
        "dao",
        *window_clips(window_number),
        "hao_chuangkou_banli",
    ]


def _sounds_dir(sounds_dir: Path | None) -> Path:
    return resource_path("sounds") if sounds_dir is None else sounds_dir


def _silence(ms: int) -> bytes:
    if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
        raise UsageError(f"停顿时长 {ms!r} ms 无效：须为不小于 0 的整数 "
                         f"(Pause length {ms!r} ms is not valid: expected a whole number >= 0)")
    return b"\x00" * (round(ms * CLIP_RATE / 1000) * CLIP_SAMPLE_WIDTH * CLIP_CHANNELS)


def _read_clip(sounds_dir: Path, name: str) -> bytes:
    """The raw PCM frames of one clip, after checking it has the one format we join."""
    if not isinstance(name, str) or not _CLIP_NAME.fullmatch(name):
        raise UsageError(f"语音片段名 {name!r} 无效 (Sound clip name {name!r} is not valid)")
    path = sounds_dir / f"{name}.wav"
    try:
        with wave.open(str(path), "rb") as clip:
            found = (clip.getnchannels(), clip.getsampwidth() * 8, clip.getframerate())
            if found != (CLIP_CHANNELS, CLIP_SAMPLE_WIDTH * 8, CLIP_RATE):
                channels, bits, rate = found
                raise UsageError(
                    f"语音片段 {path} 为 {bits} 位、{channels} 声道、{rate} Hz；每个片段须为 "
                    f"{CLIP_SAMPLE_WIDTH * 8} 位 PCM 单声道 {CLIP_RATE} Hz，请运行 "
                    "`python tools/build_sounds.py --normalise-only` 转换 "
                    f"(Sound clip {path} is {bits}-bit, {channels} channel(s), {rate} Hz; "
                    f"every clip must be {CLIP_SAMPLE_WIDTH * 8}-bit PCM mono {CLIP_RATE} Hz. "
                    "Run `python tools/build_sounds.py --normalise-only` to convert it.)"
                )
            return clip.readframes(clip.getnframes())
    except FileNotFoundError:
        raise UsageError(f"缺少语音片段 {path} (Sound clip {path} is missing)") from None
    except (wave.Error, EOFError) as exc:
        # wave.Error also covers compressed and float WAVs, which it cannot read.
        raise UsageError(
            f"语音片段 {path} 不是 16 位 PCM WAV 文件，请运行 "
            "`python tools/build_sounds.py --normalise-only` 转换 "
            f"(Sound clip {path} is not a 16-bit PCM WAV file ({exc}). "
            "Run `python tools/build_sounds.py --normalise-only` to convert it.)"
        ) from None


def _join_frames(names: list[str], sounds_dir: Path, gap_ms: int) -> bytes:
    if not names:
        raise UsageError("没有可拼接的语音片段 (No sound clips to join)")
    gap = _silence(gap_ms)
    cache: dict[str, bytes] = {}  # digits repeat; read each file once per call
    for name in names:
        if name not in cache:
            cache[name] = _read_clip(sounds_dir, name)
    return gap.join(cache[name] for name in names)


def _wav(frames: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(CLIP_CHANNELS)
        out.setsampwidth(CLIP_SAMPLE_WIDTH)
        out.setframerate(CLIP_RATE)
        out.writeframes(frames)
    return buffer.getvalue()


def join_clips(
    names: list[str], sounds_dir: Path | None = None, gap_ms: int = DEFAULT_GAP_MS
) -> bytes:
    """One WAV file made of the named clips with ``gap_ms`` of silence between them.

    Clips are read from ``sounds_dir`` (default: the shipped ``resources/sounds``).
    Raises :class:`UsageError` naming the file if a clip is missing or not 16-bit PCM
    mono 22050 Hz.
    """
    return _wav(_join_frames(names, _sounds_dir(sounds_dir), gap_ms))


def announcement_wav(
    number: str, window_number: int, repeat: int = 2, *, sounds_dir: Path | None = None
) -> bytes:
    """The full announcement as WAV bytes: the chime once, then the sentence ``repeat``
    times with :data:`REPEAT_PAUSE_MS` between readings."""
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise UsageError(f"重复次数 {repeat!r} 无效：须为不小于 1 的整数 "
                         f"(Repeat count {repeat!r} is not valid: expected a whole number >= 1)")
    chime, *sentence = clip_sequence(number, window_number)
    folder = _sounds_dir(sounds_dir)
    spoken = _join_frames(sentence, folder, DEFAULT_GAP_MS)
    readings = _silence(REPEAT_PAUSE_MS).join([spoken] * repeat)
    return _wav(_join_frames([chime], folder, 0) + _silence(DEFAULT_GAP_MS) + readings)


def reading_wav(
    number: str, window_number: int, *, first: bool, sounds_dir: Path | None = None
) -> bytes:
    """One reading of the announcement, for a display that decides before each reading
    whether to repeat: the first is the chime and the sentence, a repeat is
    :data:`REPEAT_PAUSE_MS` of silence and the sentence. The first followed by one repeat
    is exactly ``announcement_wav(number, window_number, 2)``."""
    if first:
        return announcement_wav(number, window_number, 1, sounds_dir=sounds_dir)
    _chime, *sentence = clip_sequence(number, window_number)
    spoken = _join_frames(sentence, _sounds_dir(sounds_dir), DEFAULT_GAP_MS)
    return _wav(_silence(REPEAT_PAUSE_MS) + spoken)


def wav_duration_seconds(data: bytes) -> float:
    """Length in seconds of a WAV file given as bytes."""
    try:
        with wave.open(io.BytesIO(data), "rb") as clip:
            return clip.getnframes() / clip.getframerate()
    except (wave.Error, EOFError) as exc:
        raise UsageError(f"不是可读取的 WAV 文件 (Not a readable WAV file: {exc})") from None
