"""Data files shipped with HallQueue: catalog, fonts, sounds, translations, styles.

Read them through :func:`resource_path` so the same code works from a source checkout,
an editable install and a built wheel.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

_ROOT = files(__name__)


def resource_path(*parts: str) -> Path:
    """Return a filesystem path to a shipped resource file.

    Wheels are installed unpacked, so ``as_file`` yields the real file; it raises
    ``FileNotFoundError`` naming the resource when it is missing.
    """
    traversable = _ROOT.joinpath(*parts)
    if not traversable.is_file() and not traversable.is_dir():
        raise FileNotFoundError(f"HallQueue resource not found: {'/'.join(parts)}")
    with as_file(traversable) as path:
        return Path(path)


def cjk_font_path() -> Path:
    """The bundled CJK TrueType font used on screen, on raster tickets and in PDFs."""
    return resource_path("fonts", "hallq-cjk.ttf")
