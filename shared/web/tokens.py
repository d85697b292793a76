"""The signed ticket link in the QR code: ``<base URL>/t/<token>``.

A token names one ticket and its business day and carries an HMAC-SHA256 tag (128 bits)
under the database's web key, so it cannot be guessed or derived from a ticket number
or id: enumerating the links of a hall would mean forging the tag. The id and day are
also masked with a pad derived from the tag (a synthetic-IV construction), so two
tickets' tokens share nothing that tells their order or count. A token is valid only
on its ticket's business day; the web service refuses it afterwards.

The key lives in the ``web_secret`` table: the first terminal that prints a ticket with
a link creates it (:func:`web_secret`); the web service only reads it
(:func:`read_web_secret`), so its database login needs no write access for this.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
import struct

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database, server_now
from shared.models import WebSecret

_PAYLOAD = struct.Struct(">QI")  # ticket id, business day as a proleptic ordinal
_TAG_BYTES = 16
TOKEN_LENGTH = 38  # base64url of 12 + 16 bytes, without padding


class InvalidToken(ValueError):
    """The token is malformed or its tag does not match (forged or from another hall)."""


def _tag(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, b"tag:" + payload, hashlib.sha256).digest()[:_TAG_BYTES]


def _mask(secret: bytes, tag: bytes, data: bytes) -> bytes:
    pad = hmac.new(secret, b"pad:" + tag, hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(data, pad, strict=False))


def sign(secret: bytes, ticket_id: int, day: dt.date) -> str:
    payload = _PAYLOAD.pack(ticket_id, day.toordinal())
    tag = _tag(secret, payload)
    raw = tag + _mask(secret, tag, payload)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def verify(secret: bytes, token: str) -> tuple[int, dt.date]:
    """The ticket id and business day a token names; InvalidToken if it is not one of
    this key's tokens. Whether the day is still today is the caller's check."""
    if len(token) != TOKEN_LENGTH or not token.isascii():
        raise InvalidToken("wrong length")
    try:
        raw = base64.urlsafe_b64decode(token + "==")
    except (binascii.Error, ValueError):
        raise InvalidToken("not base64url") from None
    # The last character carries 4 spare bits: only the canonical spelling is the token.
    if len(raw) != _TAG_BYTES + _PAYLOAD.size or \
            base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != token:
        raise InvalidToken("not the canonical encoding")
    tag = raw[:_TAG_BYTES]
    payload = _mask(secret, tag, raw[_TAG_BYTES:])
    if not hmac.compare_digest(tag, _tag(secret, payload)):
        raise InvalidToken("bad tag")
    ticket_id, ordinal = _PAYLOAD.unpack(payload)
    try:
        return ticket_id, dt.date.fromordinal(ordinal)
    except ValueError:
        raise InvalidToken("bad day") from None


def purpose_key(secret: bytes, purpose: str) -> bytes:
    """A key of its own for each other use of the web key (remote bookings' links, CSRF),
    so a token of one kind is never valid as another."""
    return hmac.new(secret, f"purpose:{purpose}".encode(), hashlib.sha256).digest()


def ticket_url(base_url: str, secret: bytes, ticket_id: int, day: dt.date) -> str:
    return f"{base_url.rstrip('/')}/t/{sign(secret, ticket_id, day)}"


def _stored(session: Session) -> bytes | None:
    value = session.scalar(select(WebSecret.secret).order_by(WebSecret.id).limit(1))
    return bytes.fromhex(value) if value else None


def read_web_secret(db: Database) -> bytes | None:
    """The web key, or None while no terminal has printed a link yet."""
    with db.read() as session:
        return _stored(session)


def web_secret(db: Database) -> bytes:
    """The web key, created on first use (one write, once per database)."""
    existing = read_web_secret(db)
    if existing is not None:
        return existing

    def create(session: Session) -> bytes:
        # Row 1 only: two terminals creating it at once collide on the primary key and
        # the loser reads the winner's key.
        session.add(WebSecret(id=1, secret=secrets.token_hex(32), created_at=server_now(session)))
        session.flush()
        stored = _stored(session)
        assert stored is not None
        return stored

    try:
        return db.write(create, name="create_web_secret")
    except IntegrityError:
        stored = read_web_secret(db)
        assert stored is not None
        return stored
