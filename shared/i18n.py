"""The one translation mechanism: Qt's .ts/.qm catalogs, for the Qt apps, the CLI and the
reports alike (docs/architecture.md says why Qt's and not gettext).

Chinese is the source language. English lives in resources/translations/<part>_en.qm, one
catalog per part of the program; the words of the domain (shared/vocabulary.py, the
report text, the errors shown at start-up) are the part ``shared``. Code that is no Qt
widget marks its strings with ``QT_TRANSLATE_NOOP(context, text)`` so lupdate collects
them, and translates them with :func:`translate`, which reads the catalogs of the current
language through QTranslator objects of its own: no QApplication is needed, so
``hallq-admin`` and the PDF export translate exactly as the Qt apps do. The Qt apps
install the same translators into their QApplication (shared/qt/app.py), so
``QWidget.tr`` and :func:`translate` always agree.

The queue core words its error messages "中文 (English)" (the English half is for logs and
for scripts); :func:`one_language` keeps the half of the current language, so no screen
shows both.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QTranslator

from resources import resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = (SOURCE_LANGUAGE, "en")

_language = SOURCE_LANGUAGE
_translators: list[QTranslator] = []


def load_catalogs(language: str) -> list[QTranslator]:
    """The compiled catalogs of ``language`` (none for the source language)."""
    if language == SOURCE_LANGUAGE:
        return []
    loaded = []
    for path in sorted(resource_path("translations").glob(f"*_{language}.qm")):
        translator = QTranslator()
        if translator.load(str(path)):
            loaded.append(translator)
        else:
            log.warning("cannot load translation %s", path)
    return loaded


def set_language(language: str) -> list[QTranslator]:
    """Speak ``language`` from now on; returns its translators (a Qt app installs them).

    A language without catalogs falls back to Chinese, with a warning in the log."""
    global _language, _translators
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    translators = load_catalogs(language)
    if language != SOURCE_LANGUAGE and not translators:
        log.warning("no translation files for %s; showing Chinese", language)
        language = SOURCE_LANGUAGE
    _language, _translators = language, translators
    return list(translators)


def language() -> str:
    return _language


def translate(context: str, text: str) -> str:
    """``text`` (Chinese, marked with QT_TRANSLATE_NOOP(context, text)) in the current
    language; the Chinese itself when no catalog has it."""
    for translator in _translators:
        found = translator.translate(context, text)
        if found:
            return found
    return text


# "中文 (English)": the English half has no CJK and at least one Latin letter.
_BILINGUAL = re.compile(r"^(?P<zh>.*\S)\s*\((?P<en>[^()\u3000-\u9fff\uff00-\uffef]*[A-Za-z][^()"
                        r"\u3000-\u9fff\uff00-\uffef]*)\)\s*$", re.DOTALL)


def one_language(message: str) -> str:
    """One language of a bilingual core message: "工号或密码错误 (wrong password)" is
    "工号或密码错误" in Chinese and "wrong password" in English; a message in one language
    only is returned as it is."""
    match = _BILINGUAL.match(message.strip())
    if match is None:
        return message
    return match["zh"].strip() if _language == SOURCE_LANGUAGE else match["en"].strip()
