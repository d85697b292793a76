"""What a ticket number is, in one place: the service's prefix of one or two capital
letters A-Z, then the day's sequence as 3 to 6 ASCII digits (A017, AB017, C1234).

The catalog accepts a prefix by it, numbering writes numbers by it, the hall display
shows and speaks them by it (every letter and digit has its clip), and the counter's
number input (指定叫号, reprint) accepts what it accepts. Digits are ASCII only: ``\\d``
and ``str.isdigit()`` also take full-width digits and those of other scripts, which no
keypad types and no clip reads; the cap of six digits keeps a corrupt number from
becoming a minute-long announcement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.errors import UsageError

MAX_PREFIX_LETTERS = 2
MIN_DIGITS = 3
MAX_DIGITS = 6
MAX_SEQUENCE = 10**MAX_DIGITS - 1
MAX_LENGTH = MAX_PREFIX_LETTERS + MAX_DIGITS

_PREFIX = re.compile(f"[A-Z]{{1,{MAX_PREFIX_LETTERS}}}")
_NUMBER = re.compile(f"({_PREFIX.pattern})([0-9]{{{MIN_DIGITS},{MAX_DIGITS}}})")

RULE_ZH = f"1-{MAX_PREFIX_LETTERS} 个大写字母加 {MIN_DIGITS}-{MAX_DIGITS} 位数字，例如 A017、AB017"
RULE_EN = (f"one or two capital letters A-Z followed by {MIN_DIGITS} to {MAX_DIGITS} digits, "
           "such as A017 or AB017")


@dataclass(frozen=True)
class TicketNumber:
    """A valid ticket number taken apart: ``AB017`` is prefix ``AB``, digits ``017``."""

    prefix: str
    digits: str

    @property
    def text(self) -> str:
        return self.prefix + self.digits


def is_prefix(text: object) -> bool:
    """One or two capital letters A-Z: a service's prefix in the catalog."""
    return isinstance(text, str) and _PREFIX.fullmatch(text) is not None


def parse_number(text: object) -> TicketNumber:
    """The number taken apart; UsageError naming it and the rule if it is not one."""
    match = _NUMBER.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise UsageError(f"票号 {text!r} 无效，应为{RULE_ZH} (ticket number {text!r} is not "
                         f"valid: expected {RULE_EN})")
    return TicketNumber(match.group(1), match.group(2))


def is_ticket_number(text: object) -> bool:
    return isinstance(text, str) and _NUMBER.fullmatch(text) is not None


def from_input(text: str) -> str | None:
    """What someone typed (spaces around it, small letters) as the number it names, or
    None when it is not a ticket number."""
    wanted = text.strip()
    if wanted.isascii():
        wanted = wanted.upper()
    return wanted if is_ticket_number(wanted) else None


def format_number(prefix: str, seq: int) -> str:
    """The number of the ``seq``-th ticket of the day with ``prefix``: AB + 17 → AB017."""
    if not is_prefix(prefix):
        raise UsageError(f"前缀 {prefix!r} 无效 (prefix {prefix!r} is not one or two capital "
                         f"letters A-Z)")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQUENCE:
        raise UsageError(f"今天的 {prefix} 号已用完 (sequence {seq!r} of prefix {prefix} is "
                         f"outside 1..{MAX_SEQUENCE})")
    return f"{prefix}{seq:0{MIN_DIGITS}d}"
