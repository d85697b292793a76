"""One definition of a ticket number (shared.ticket_number), used by the catalog,
numbering, the hall display's speech and the counter's number input."""

from __future__ import annotations

import string

import pytest

from shared.announce import clip_sequence
from shared.errors import UsageError
from shared.ticket_number import (
    MAX_SEQUENCE,
    TicketNumber,
    format_number,
    from_input,
    is_prefix,
    parse_number,
)


@pytest.mark.parametrize(("prefix", "seq", "number"), [
    ("A", 1, "A001"), ("AB", 17, "AB017"), ("Z", 999, "Z999"), ("ZZ", 1000, "ZZ1000"),
    ("C", MAX_SEQUENCE, "C999999"),
])
def test_numbering_writes_prefix_and_at_least_three_digits(prefix: str, seq: int,
                                                           number: str) -> None:
    """The day's sequence is written with at least three digits after the prefix, and
    every number written is one the definition (and so the announcer) accepts."""
    assert format_number(prefix, seq) == number
    assert parse_number(number) == TicketNumber(prefix, number[len(prefix):])


@pytest.mark.parametrize(("prefix", "seq", "named"), [
    ("ABC", 1, "prefix 'ABC'"), ("a", 1, "prefix 'a'"), ("", 1, "prefix ''"),
    ("A", 0, "sequence 0"), ("A", MAX_SEQUENCE + 1, f"sequence {MAX_SEQUENCE + 1}"),
])
def test_numbering_refuses_what_is_no_number(prefix: str, seq: int, named: str) -> None:
    with pytest.raises(UsageError, match=named):
        format_number(prefix, seq)


def test_every_prefix_the_catalog_allows_is_spoken() -> None:
    """Every one- and two-letter prefix is a catalog prefix, and its numbers are read
    letter by letter, then digit by digit."""
    letters = string.ascii_uppercase
    for prefix in [*letters, *(a + b for a in letters for b in letters)]:
        assert is_prefix(prefix)
        number = format_number(prefix, 17)
        assert clip_sequence(number, 3)[2:2 + len(prefix) + 3] == [*prefix, "0", "1", "7"]
    for bad in ("", "ABC", "a", "Ａ", "A1", "Ä", None, 5):
        assert not is_prefix(bad)


@pytest.mark.parametrize(("typed", "number"), [
    ("AB017", "AB017"), ("ab017", "AB017"), ("  a017 ", "A017"), ("C1234", "C1234"),
    ("AB01", None), ("ABC017", None), ("A０17", None), ("ａ017", None), ("A 017", None),
    ("017", None), ("", None), ("A17", None), ("A1234567", None),
])
def test_typed_input_is_read_by_the_same_definition(typed: str, number: str | None) -> None:
    """The counter's number input: spaces around it and small letters are forgiven,
    nothing else; full-width letters or digits are not ticket numbers."""
    assert from_input(typed) == number
