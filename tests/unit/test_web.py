"""hallq-web's parts without a database: the signed ticket token, the QR on every kind of
ticket, the catalog's [sites.web] table, the rate limiter and who counts as the client."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from escpos.printer import Dummy
from hypothesis import given
from hypothesis import strategies as st

from shared import i18n
from shared.catalog import read_catalog, validate
from shared.errors import CatalogError
from shared.printing.escpos_render import render_ticket, ticket_image
from shared.printing.layout import qr_modules
from shared.printing.pdf_ticket import ticket_pdf
from shared.printing.slip import qr_payload
from shared.web import tokens
from shared.web.app import RateLimiter, client_address
from tests.escpos_decoder import QrCode, decode
from tests.unit.test_printing import find_qr, make_slip

KEY = bytes(range(32))
DAY = dt.date(2026, 12, 7)
URL = "https://queue.example.gov.cn/t/" + tokens.sign(KEY, 12345, DAY)
TEST_CATALOG = Path(__file__).parents[1] / "data" / "test_catalog.toml"


@given(st.integers(min_value=1, max_value=2**63), st.dates())
def test_token_names_its_ticket_and_day(ticket_id: int, day: dt.date) -> None:
    token = tokens.sign(KEY, ticket_id, day)
    assert len(token) == tokens.TOKEN_LENGTH and token.isascii()
    assert tokens.verify(KEY, token) == (ticket_id, day)


def test_any_changed_character_or_other_key_is_refused() -> None:
    token = tokens.sign(KEY, 12345, DAY)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for place in range(len(token)):
        for other in {alphabet[(alphabet.index(token[place]) + step) % 64] for step in (1, 17)}:
            changed = token[:place] + other + token[place + 1:]
            with pytest.raises(tokens.InvalidToken):
                tokens.verify(KEY, changed)
    with pytest.raises(tokens.InvalidToken):
        tokens.verify(b"another hall's key", token)
    for bad in ("", "12345", token + "A", token[:-1], "é" * tokens.TOKEN_LENGTH,
                "=" * tokens.TOKEN_LENGTH):
        with pytest.raises(tokens.InvalidToken):
            tokens.verify(KEY, bad)


def test_qr_of_every_ticket_kind_carries_the_link(tmp_path: Path) -> None:
    """Text (the printer draws the QR), raster (we draw it) and PDF all encode the URL."""
    slip = make_slip(qr_url=URL)
    assert qr_payload(slip) == URL
    assert qr_payload(make_slip()) == "HALLQ:T:12345:A017"
    printer = Dummy()
    render_ticket(printer, slip, "text")
    qr = [item for item in decode(printer.output) if isinstance(item, QrCode)]
    assert [code.payload for code in qr] == [URL]
    assert find_qr(ticket_image(slip), qr_modules(URL))
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(ticket_pdf(slip))
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert f"Subject:         {URL}" in info


def catalog_with_web(web: object) -> dict:
    data = tomllib.loads(TEST_CATALOG.read_text(encoding="utf-8"))
    data["sites"][0]["web"] = web
    return data


def test_catalog_takes_the_sites_web_base_url(tmp_path: Path) -> None:
    path = tmp_path / "hall.toml"
    path.write_text(TEST_CATALOG.read_text(encoding="utf-8").replace(
        '[[sites.windows]]\nnumber = 1\nname = "综合窗口"\nservices = { SA = 2, SB = 1 }',
        '[sites.web]\nbase_url = "https://queue.example.gov.cn/hall/"\n\n'
        '[[sites.windows]]\nnumber = 1\nname = "综合窗口"\nservices = { SA = 2, SB = 1 }', 1),
        encoding="utf-8")
    data = read_catalog(path)
    assert data["sites"][0]["web"] == {"base_url": "https://queue.example.gov.cn/hall",
                                       "remote_tickets": False, "remote_daily_cap": 30}
    assert data["sites"][1]["web"] is None


@pytest.mark.parametrize(("web", "reason"), [
    ({"base_url": "ftp://queue.example.gov.cn"}, "http(s) address"),
    ({"base_url": "https:///t"}, "http(s) address"),
    ({"base_url": "https://queue.example.gov.cn/?a=1"}, "without query"),
    ({"base_url": "https://排队.example.cn"}, "http(s) address"),
    ({"base_url": 42}, "must be str"),
    ({"baseurl": "https://x.cn"}, "baseurl"),
    ({"remote_tickets": "yes"}, "must be bool"),
    ({"remote_daily_cap": 0}, "from 1 to 9999"),
])
def test_bad_web_settings_name_the_key(tmp_path: Path, web: dict, reason: str) -> None:
    with pytest.raises(CatalogError) as info:
        validate(catalog_with_web(web), "hall.toml")
    assert "sites[0].web" in str(info.value) and reason in str(info.value)


def test_rate_limiter_allows_a_burst_then_the_rate() -> None:
    limiter = RateLimiter(rate_per_minute=60, burst=3)
    assert [limiter.allow("a", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("a", now=100.0) == pytest.approx(1.0)
    assert limiter.allow("b", now=100.0) == 0.0  # each client its own bucket
    assert limiter.allow("a", now=101.0) == 0.0  # one more a second later
    assert limiter.allow("a", now=101.0) > 0
    assert RateLimiter(0, 1).allow("a") == 0.0  # 0: no limit


def test_forwarded_client_only_from_a_trusted_proxy() -> None:
    scope = {"client": ("10.0.0.9", 5000),
             "headers": [(b"x-forwarded-for", b"6.6.6.6, 203.0.113.7")]}
    assert client_address(scope, frozenset()) == "10.0.0.9"
    # The last hop is the one the proxy itself added; earlier ones are the client's word.
    assert client_address(scope, frozenset({"10.0.0.9"})) == "203.0.113.7"


@pytest.mark.parametrize(("args", "chinese", "english"), [
    (["--port", "0"], "--port 0 须为 1-65535", "--port 0: must be 1-65535"),
    (["--trusted-proxy", "proxy.example"], "'proxy.example' 不是 IP 地址",
     "'proxy.example': not an IP address"),
    (["--rate-limit", "-1"], "--rate-limit 须不小于 0", "--rate-limit must be 0 or more"),
    (["--gateway-url", "ftp://sms"], "须为 http(s) 地址", "must be an http(s) address"),
    (["--notify-ahead", "99"], "--notify-ahead 须为 0-50", "--notify-ahead must be 0-50"),
])
def test_hallq_web_names_a_bad_option(args: list[str], chinese: str, english: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """In one language: Chinese by default, English with --lang en."""
    from shared.web.main import main

    assert main(args) == 2
    line = capsys.readouterr().err
    assert chinese in line and "must" not in line, line
    try:
        assert main(["--lang", "en", *args]) == 2
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)  # main() sets the process's language
    line = capsys.readouterr().err
    assert english in line and not re.search(r"[\u3000-\u9fff\uff00-\uffef]", line), line
