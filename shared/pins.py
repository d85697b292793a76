"""Kiosk PINs: stored as scrypt hashes (``hallq-admin pin hash``), never a default, and
guessing limited — a few free tries, then a growing wait between tries, then a lock-out
that only the admin PIN (for the staff PIN) or a restart by IT lifts. Each try is logged,
never the PIN itself."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from shared.clerks import verify_password
from shared.errors import UsageError

log = logging.getLogger(__name__)

# Higher cost than a clerk's password: a PIN has few possible values, so each guess
# against a copied hash should cost more (about 0.1 s and 32 MiB).
_N, _R, _P = 2**15, 8, 1
FREE_TRIES = 3
FIRST_WAIT_S = 10
LOCK_AFTER = 8


def check_pin_text(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise UsageError("PIN 须为 4-8 位半角数字 (a PIN is 4 to 8 digits 0-9; 6 or more "
                         "recommended)")
    return pin


def hash_pin(pin: str) -> str:
    check_pin_text(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32,
                            maxmem=128 * 1024 * 1024)
    return (f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}"
            f"${base64.b64encode(digest).decode()}")


class PinRefusal(StrEnum):
    WRONG = "wrong"
    WAIT = "wait"  # too many wrong tries: wait before the next
    LOCKED = "locked"
    NOT_SET = "not_set"  # no PIN configured: nothing unlocks


@dataclass(frozen=True)
class PinAnswer:
    refusal: PinRefusal | None
    wait_s: int = 0

    @property
    def ok(self) -> bool:
        return self.refusal is None


class PinGuard:
    """One PIN (staff or admin) of one kiosk: checks tries and limits them."""

    def __init__(self, name: str, stored_hash: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self._hash = stored_hash
        self._clock = clock
        self.failures = 0
        self.locked = False
        self._next_try_at = 0.0

    @property
    def configured(self) -> bool:
        return bool(self._hash)

    def wait_left(self) -> int:
        return max(0, int(self._next_try_at - self._clock() + 0.999))

    def unlock(self) -> None:
        """Lifted by the admin PIN (for the staff PIN)."""
        if self.locked or self.failures:
            log.info("%s PIN lock-out lifted by the admin PIN", self.name)
        self.failures, self.locked, self._next_try_at = 0, False, 0.0

    def check(self, pin: str) -> PinAnswer:
        if not self.configured:
            log.warning("%s PIN tried but none is configured", self.name)
            return PinAnswer(PinRefusal.NOT_SET)
        if self.locked:
            log.warning("%s PIN tried while locked out", self.name)
            return PinAnswer(PinRefusal.LOCKED)
        if (wait := self.wait_left()) > 0:
            log.warning("%s PIN tried %d s too early", self.name, wait)
            return PinAnswer(PinRefusal.WAIT, wait)
        if verify_password(pin, self._hash):
            log.info("%s PIN accepted after %d wrong tries", self.name, self.failures)
            self.failures = 0
            return PinAnswer(None)
        self.failures += 1
        if self.failures >= LOCK_AFTER:
            self.locked = True
            log.warning("wrong %s PIN (%d in a row): locked out until the admin PIN or a "
                        "restart", self.name, self.failures)
            return PinAnswer(PinRefusal.LOCKED)
        wait = 0
        if self.failures >= FREE_TRIES:
            wait = FIRST_WAIT_S * 2 ** (self.failures - FREE_TRIES)
            self._next_try_at = self._clock() + wait
        log.warning("wrong %s PIN (%d in a row); next try in %d s", self.name, self.failures,
                    wait)
        return PinAnswer(PinRefusal.WRONG, wait)
