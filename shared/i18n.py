"""The one translation mechanism: Qt Linguist catalogs (resources/translations/*.ts,
compiled to .qm), for the Qt apps, the CLI and the reports alike (docs/architecture.md
says why Qt's and not gettext).

Chinese is the source language. English lives in resources/translations/<part>_en.ts, one
catalog per part of the program; the words of the domain (shared/vocabulary.py, the
report text, the error dialogs) are the part ``shared``. Code that is no Qt widget marks
its strings with ``QT_TRANSLATE_NOOP(context, text)`` so lupdate collects them, and
translates them with :func:`translate`. The domain imports no Qt, so it reads the
catalogs of the current language from the .ts files themselves (the text the .qm files
are compiled from; a test keeps the two equal); the Qt apps install the compiled .qm of
the same catalogs into their QApplication (shared/qt/app.py) when they set the language
here, so a widget's ``tr()`` and :func:`translate` always agree.

The queue core words its error messages "中文 (English)" (the English half is for logs and
for scripts); :func:`one_language` keeps the half of the current language, so no screen
shows both.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

from resources import resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = (SOURCE_LANGUAGE, "en")
# <translation type="..."> of messages that are not (or no longer) translated
_NOT_TRANSLATED = frozenset({"unfinished", "vanished", "obsolete"})

_language = SOURCE_LANGUAGE
_catalog: dict[tuple[str, str], str] = {}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for lupdate under ``context`` (lupdate reads the name, whichever
    module defines it); the text itself is returned, to translate when shown. PySide6's
    own returns ``object`` to a type checker, and the domain imports no Qt."""
    return text


def load_catalog(language: str) -> dict[tuple[str, str], str]:
    """(context, Chinese) -> translation, from every part's .ts of ``language``."""
    catalog: dict[tuple[str, str], str] = {}
    if language == SOURCE_LANGUAGE:
        return catalog
    for path in sorted(resource_path("translations").glob(f"*_{language}.ts")):
        for context in ET.parse(path).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or not translation.text or \
                        translation.get("type") in _NOT_TRANSLATED:
                    continue
                catalog[(name, message.findtext("source", ""))] = translation.text
    return catalog


def set_language(language: str) -> str:
    """Speak ``language`` from now on and return it; a language without catalogs falls
    back to Chinese (returned), with a warning in the log."""
    global _language, _catalog
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    catalog = load_catalog(language)
    if language != SOURCE_LANGUAGE and not catalog:
        log.warning("no translation files for %s; showing Chinese", language)
        language = SOURCE_LANGUAGE
    _language, _catalog = language, catalog
    return language


def language() -> str:
    return _language


def translate(context: str, text: str) -> str:
    """``text`` (Chinese, marked with QT_TRANSLATE_NOOP(context, text)) in the current
    language; the Chinese itself when the catalog lacks it."""
    return _catalog.get((context, text), text)


# "中文 (English)": the Chinese half has CJK outside quotes; the English half, in the
# parentheses that close the message, has a Latin letter and no CJK outside quotes (a value
# quoted back as typed may be '５').
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_LATIN = re.compile(r"[A-Za-z]")


def _halves(message: str) -> tuple[str, str] | None:
    text = message.strip()
    if not text.endswith(")"):
        return None
    depth = 0
    for start in range(len(text) - 1, -1, -1):  # the "(" that the last ")" closes
        depth += {")": 1, "(": -1}.get(text[start], 0)
        if depth == 0:
            break
    else:
        return None
    zh, en = text[:start].strip(), text[start + 1:-1].strip()
    if not _CJK.search(_QUOTED.sub("", zh)) or not _LATIN.search(en) or \
            _CJK.search(_QUOTED.sub("", en)):
        return None  # not "中文 (English)": an English message's own parentheses, say
    return zh, en


def one_language(message: str) -> str:
    """One language of a bilingual core message: "工号或密码错误 (wrong password)" is
    "工号或密码错误" in Chinese and "wrong password" in English; a message in one language
    only is returned as it is."""
    halves = _halves(message)
    if halves is None:
        return message
    if _language == SOURCE_LANGUAGE:
        return halves[0]
    prefix = _prefix(halves[0])
    return halves[1] if halves[1].startswith(prefix) else prefix + halves[1]


def _prefix(zh: str) -> str:
    """What a caller put before a bilingual message ("x.csv: line 3: " in "x.csv: line 3:
    name 过长 (name is too long)"): up to the last ": " before the first Chinese character,
    for an English half that does not repeat it."""
    first = _CJK.search(zh)
    head = zh[:first.start()] if first else ""
    end = head.rfind(": ")
    return head[:end + 2] if end >= 0 else ""


def prefixed(zh: str, en: str, message: str) -> str:
    """``message`` after a context worded in both languages: "x.csv: 第 3 行：" and
    "x.csv: line 3: " before "时段格式不对 (bad slot)" make "x.csv: 第 3 行：时段格式不对
    (x.csv: line 3: bad slot)", so each language keeps its own context; a message in one
    language only gets the Chinese context."""
    halves = _halves(message)
    if halves is None:
        return zh + message
    return f"{zh}{halves[0]} ({en}{halves[1]})"


def both(message: str) -> tuple[str, str]:
    """(Chinese, English) of a bilingual message, to word a longer one around it; a
    message in one language only is both."""
    halves = _halves(message)
    return halves if halves is not None else (message, message)
