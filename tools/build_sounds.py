#!/usr/bin/env python3
"""Build the hall display's voice clips in ``resources/sounds/``.

Usage (from the repository root)::

    python tools/build_sounds.py                   # regenerate every clip with espeak-ng
    python tools/build_sounds.py --normalise-only  # convert the WAVs already in the folder

Every clip ends up as 16-bit PCM mono 22050 Hz, with leading and trailing silence
trimmed and the peak at -1 dBFS, because ``shared.announce`` joins clips byte for byte
and refuses any other format. The chime is synthesised here; speech comes from
espeak-ng. Conversion needs ``sox`` on the PATH; building also needs ``espeak-ng``.
"""

from __future__ import annotations

import argparse
import array
import math
import os
import shutil
import string
import struct
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"

RATE = 22050
SAMPLE_WIDTH = 2
CHANNELS = 1
PEAK_DB = -1.0

# espeak-ng's default is 175 words per minute; a little slower carries better in a hall.
SPEECH_WPM = 150
# The Debian build's plain `cmn` voice pushes the pinyin from its dictionary through the
# English rules ("号" comes out as "H A O four"); `cmn-latn-pinyin` is the same Mandarin
# voice reading that pinyin as pinyin.
MANDARIN_VOICE = "cmn-latn-pinyin"
# Halls read the ticket prefix as the English letter name. The Mandarin voice's own
# letter names are partly off (G comes out as "zhi"), so the letters use English.
ENGLISH_VOICE = "en"

# Silence threshold, judged at the final level (peak at PEAK_DB), so quiet recordings
# are trimmed the same as loud ones; 0.5 % of the peak is about -46 dB.
SILENCE_RATIO = 0.005
# 10 ms: shorter than any speech sound, longer than a click or a pop.
EDGE_WINDOW = RATE // 100

SUSPICIOUS_SHORT = 0.05
SUSPICIOUS_LONG = 2.0

DIGIT_HANZI = "零一二三四五六七八九"


@dataclass(frozen=True)
class Clip:
    """One clip file: its name (file stem), the text it speaks and the espeak-ng voice."""

    name: str
    text: str
    voice: str


def speech_clips() -> list[Clip]:
    """Every spoken clip, in the order ``clips.txt`` lists them."""
    clips = [Clip("qing", "请", MANDARIN_VOICE)]
    clips += [Clip(letter, letter, ENGLISH_VOICE) for letter in string.ascii_uppercase]
    clips += [Clip(str(digit), hanzi, MANDARIN_VOICE) for digit, hanzi in enumerate(DIGIT_HANZI)]
    clips += [
        Clip("shi", "十", MANDARIN_VOICE),
        Clip("bai", "百", MANDARIN_VOICE),
        Clip("hao", "号", MANDARIN_VOICE),
        Clip("dao", "到", MANDARIN_VOICE),
        Clip("hao_chuangkou_banli", "号窗口办理", MANDARIN_VOICE),
    ]
    return clips


CHIME_TEXT = "(two-tone chime, no speech)"


def chime_samples() -> list[float]:
    """A soft two-tone "ding-dong": E5 then C5, each a decaying bell-like tone.

    A falling major third is the call signal people already know from stations and
    halls; the upper partials decay faster than the fundamental so it sounds round.
    """
    notes = ((659.25, 0.0), (523.25, 0.5))
    length = 1.7
    attack = 0.006
    fade_out = 0.08
    total = int(length * RATE)
    samples = [0.0] * total
    for freq, start in notes:
        first = int(start * RATE)
        for i in range(first, total):
            t = (i - first) / RATE
            envelope = min(1.0, t / attack) * math.exp(-t / 0.38)
            phase = 2 * math.pi * freq * t
            samples[i] += envelope * (
                math.sin(phase)
                + 0.35 * math.exp(-t / 0.12) * math.sin(2 * phase)
                + 0.12 * math.exp(-t / 0.06) * math.sin(3 * phase)
            )
    # End exactly at zero so the joined announcement has no click after the chime.
    fade_frames = int(fade_out * RATE)
    for k in range(fade_frames):
        samples[total - fade_frames + k] *= 1 - k / fade_frames
    return samples


def write_pcm16(path: Path, samples: list[float]) -> None:
    """Write float samples as 16-bit mono WAV at :data:`RATE`, peak at :data:`PEAK_DB`."""
    peak = max(abs(s) for s in samples) or 1.0
    scale = 32767 * 10 ** (PEAK_DB / 20) / peak
    frames = struct.pack(f"<{len(samples)}h", *(round(s * scale) for s in samples))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        out.writeframes(frames)


def require(program: str) -> str:
    """Return the full path of ``program`` or stop with a message saying what to install."""
    found = shutil.which(program)
    if found is None:
        sys.exit(f"build_sounds: '{program}' is not on the PATH; install it and try again.")
    return found


def normalise(source: Path, target: Path) -> None:
    """Convert ``source`` (any format sox reads) into a trimmed, normalised clip at ``target``.

    sox only converts, to raw 32-bit mono at :data:`RATE` so quiet recordings keep their
    resolution; trimming and level are done here, sample-exact, so running
    ``--normalise-only`` again leaves a finished clip byte-identical (sox's own ``norm``
    and ``silence`` nudge samples and shave edges on every pass). Written to a temporary
    file first so a failed conversion never leaves a half clip.
    """
    sox = require("sox")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmpdir:
        raw = Path(tmpdir) / "clip.raw"
        done = Path(tmpdir) / "clip.wav"
        try:
            subprocess.run(
                [
                    sox,
                    "-D",  # never dither: rebuilding must give byte-identical files
                    str(source),
                    "-t", "raw", "-L", "-b", "32", "-e", "signed-integer",
                    "-c", "1", "-r", str(RATE),
                    str(raw),
                    "channels", "1",
                    "rate", "-v", str(RATE),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            samples = array.array("i", raw.read_bytes())
            if sys.byteorder == "big":
                samples.byteswap()
            write_clip(done, samples)
        except subprocess.CalledProcessError as exc:
            sys.exit(f"build_sounds: sox could not convert {source}: {exc.stderr.strip()}")
        except ValueError as exc:
            sys.exit(f"build_sounds: {source}: {exc}")
        os.replace(done, target)


def sound_span(levels: list[int], threshold: int) -> tuple[int, int]:
    """First and one-past-last index of the sound in ``levels`` (absolute sample values);
    (0, 0) if there is none.

    A sample counts as the edge only if the level stays up around it (a fifth of the
    next or previous :data:`EDGE_WINDOW` samples reach ``threshold``), so a lone click
    before a real recording is trimmed away with the silence.
    """
    loud = [level >= threshold for level in levels]
    # prefix[i] = loud samples before index i, so any window count is one subtraction.
    prefix = [0]
    for flag in loud:
        prefix.append(prefix[-1] + flag)
    n = len(levels)
    need = EDGE_WINDOW // 5
    start = next(
        (i for i in range(n) if loud[i] and prefix[min(n, i + EDGE_WINDOW)] - prefix[i] >= need),
        None,
    )
    if start is None:
        return 0, 0
    end = next(
        j for j in range(n - 1, start - 1, -1)
        if loud[j] and prefix[j + 1] - prefix[max(0, j + 1 - EDGE_WINDOW)] >= need
    )
    return start, end + 1


def write_clip(path: Path, samples: array.array[int]) -> None:
    """Trim silence off both ends of 32-bit ``samples``, scale the peak to
    :data:`PEAK_DB` and write them as a 16-bit mono WAV with a plain PCM header.

    Silence is judged on the 16-bit output level, so for a finished clip (32-bit input
    exactly 2**16 times its samples) a second pass trims nothing and reproduces every
    sample. Raises ValueError if there is no sound at all.
    """
    target_peak = round(32767 * 10 ** (PEAK_DB / 20))
    threshold = round(target_peak * SILENCE_RATIO)
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        raise ValueError("the recording is silent")
    scale = target_peak / peak
    start, end = sound_span([round(abs(s) * scale) for s in samples], threshold)
    # The loudest sample may have been a click that was just trimmed: re-level.
    kept = samples[start:end]
    peak = max((abs(s) for s in kept), default=0)
    out16 = array.array("h", (round(s * target_peak / peak) for s in kept) if peak else ())
    # Then trim again at the final level, leaving nothing for a later pass to trim.
    start, end = sound_span([abs(s) for s in out16], threshold)
    if start == end:
        raise ValueError("no sound left after trimming silence")
    out16 = out16[start:end]
    if sys.byteorder == "big":
        out16.byteswap()  # WAV data is little-endian
    with wave.open(str(path), "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        out.writeframes(out16.tobytes())


def speak(clip: Clip, target: Path) -> None:
    """Synthesise ``clip`` with espeak-ng and store it normalised at ``target``."""
    espeak = require("espeak-ng")
    with tempfile.TemporaryDirectory() as tmpdir:
        raw = Path(tmpdir) / "raw.wav"
        subprocess.run(
            [espeak, "-v", clip.voice, "-s", str(SPEECH_WPM), "-w", str(raw), clip.text],
            check=True,
        )
        normalise(raw, target)


def duration(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


def report(paths: list[Path]) -> int:
    """Print each clip's length and size; return how many look wrong (empty or too long)."""
    suspicious = 0
    for path in paths:
        seconds = duration(path)
        flag = ""
        if not SUSPICIOUS_SHORT <= seconds <= SUSPICIOUS_LONG:
            flag = "  <-- suspicious length"
            suspicious += 1
        print(f"  {path.name:<26} {seconds:6.3f} s {path.stat().st_size:>8} bytes{flag}")
    total = sum(path.stat().st_size for path in paths)
    print(f"  {len(paths)} clips, {total} bytes")
    return suspicious


def write_index(sounds_dir: Path, clips: list[Clip]) -> None:
    """Write ``clips.txt``: file name, a tab, and what the clip says (what to record)."""
    lines = ["# file\ttext spoken (16-bit PCM mono 22050 Hz WAV)", f"chime.wav\t{CHIME_TEXT}"]
    lines += [f"{clip.name}.wav\t{clip.text}" for clip in clips]
    (sounds_dir / "clips.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(sounds_dir: Path) -> list[Path]:
    """Generate the chime and every speech clip, plus ``clips.txt``."""
    sounds_dir.mkdir(parents=True, exist_ok=True)
    clips = speech_clips()
    with tempfile.TemporaryDirectory() as tmpdir:
        raw_chime = Path(tmpdir) / "chime.wav"
        write_pcm16(raw_chime, chime_samples())
        # Same pipeline as speech so every clip gets identical trimming and level.
        normalise(raw_chime, sounds_dir / "chime.wav")
    for clip in clips:
        speak(clip, sounds_dir / f"{clip.name}.wav")
    write_index(sounds_dir, clips)
    return [sounds_dir / "chime.wav"] + [sounds_dir / f"{clip.name}.wav" for clip in clips]


def normalise_existing(sounds_dir: Path) -> list[Path]:
    """Convert every WAV already in ``sounds_dir`` in place (for a hall's own recordings)."""
    paths = sorted(sounds_dir.glob("*.wav"))
    if not paths:
        sys.exit(f"build_sounds: no .wav files in {sounds_dir}")
    for path in paths:
        normalise(path, path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--normalise-only",
        action="store_true",
        help="do not synthesise; convert the WAV files already in the folder to 16-bit PCM "
        "mono 22050 Hz, trimmed and peak-normalised (use after dropping in real recordings)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=SOUNDS_DIR,
        help=f"sounds folder (default: {SOUNDS_DIR})",
    )
    args = parser.parse_args(argv)
    sounds_dir: Path = args.dir
    paths = normalise_existing(sounds_dir) if args.normalise_only else build(sounds_dir)
    print(f"Wrote {len(paths)} clips to {sounds_dir}:")
    return 1 if report(paths) else 0


if __name__ == "__main__":
    sys.exit(main())
