"""``hallq-admin pin hash``: the line a kiosk config keeps instead of the PIN."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import pins
from shared.clerks import verify_password
from shared.config import load_config
from tests.cli.conftest import Run


def test_pin_hash_writes_a_config_line_the_kiosk_reads(admin: Run, tmp_path: Path) -> None:
    result = admin("pin", "hash", "--kind", "admin", "--password-stdin", stdin="864213\n",
                   database=None)
    assert result.code == 0, result.err
    assert "864213" not in result.out
    config = tmp_path / "kiosk.toml"
    config.write_text(result.out, encoding="utf-8")
    stored = load_config(config).kiosk.admin_pin_hash
    assert verify_password("864213", stored) and not verify_password("864214", stored)


def test_a_pin_hashed_at_the_production_cost_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PIN's scrypt cost (2**15) needs more memory than OpenSSL allows by default: the
    check must still accept the right PIN and refuse a wrong one."""
    monkeypatch.setattr(pins, "_N", 2**15)  # the tests' cheap cost otherwise
    stored = pins.hash_pin("864213")
    assert stored.startswith("scrypt$32768$")
    assert verify_password("864213", stored) and not verify_password("864214", stored)


def test_a_pin_must_be_4_to_8_digits(admin: Run) -> None:
    for bad in ("123", "123456789", "12a4", "１２３４"):
        result = admin("pin", "hash", "--kind", "staff", "--password-stdin", stdin=bad + "\n",
                       database=None)
        assert result.code == 2 and "4-8 位半角数字" in result.err
