"""The ticket and hall pages in a real headless Chromium (Debian's package, driven by
Selenium through chromedriver) at phone size, against hallq-web run as a process."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared import issuing, queue
from shared.db import Database
from shared.read.site import site_info
from tests.web_support import WebProcess, free_port, load_web_catalog

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
# Records what the page asks of the phone (vibration, notifications) before its scripts run.
RECORDER = """
window.__vibrations = [];
navigator.vibrate = function (pattern) { window.__vibrations.push(pattern); return true; };
window.__notifications = [];
window.Notification = function (text) { window.__notifications.push(text); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("Chromium and chromedriver are not installed (bash tools/install-system-deps.sh "
                "--ci)", allow_module_level=True)

from selenium import webdriver  # noqa: E402 - only with a browser to drive
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        yield driver
    finally:
        driver.quit()


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Seconds until ``condition()`` held; fails naming ``what`` after ``timeout``."""
    started = time.monotonic()
    while True:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # the element may be re-rendered while read
            pass
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.02)


def text(driver: webdriver.Chrome, element_id: str) -> str:
    element = driver.find_element(By.ID, element_id)
    return element.text if element.is_displayed() else ""


def test_ticket_page_follows_the_queue_alerts_and_survives_a_restart(
        browser: webdriver.Chrome, empty_db: Database, tmp_path: Path,
        screenshot_dir: Path) -> None:
    load_web_catalog(empty_db, "https://queue.example.gov.cn", remote_tickets=True)
    for _ in range(4):
        issuing.issue_ticket(empty_db, "SA", site="hall")
    mine = issuing.issue_ticket(empty_db, "SA", site="hall")
    link = site_info(empty_db, site="hall", links=True).ticket_url(mine.ticket.id, mine.ticket.business_day)
    assert link is not None
    server = WebProcess(str(empty_db.url.render_as_string(hide_password=False)), tmp_path,
                        port=free_port())
    server.start()
    try:
        browser.get(link.replace("https://queue.example.gov.cn", server.url))
        wait_for(lambda: text(browser, "ahead") == "4", 5, "the page shows 4 people ahead")
        assert text(browser, "number") == mine.ticket.number
        assert "甲业务" in text(browser, "service")
        assert "身份证原件" in text(browser, "materials")
        # The bundled font drew the Chinese text (not a system fallback).
        wait_for(lambda: browser.execute_script(
            "return document.fonts.check('20px \"HallQ CJK\"', '前面还有') && "
            "Array.from(document.fonts).some(f => f.family.includes('HallQ') && "
            "f.status === 'loaded')"), 10, "the bundled CJK font is loaded")
        assert not browser.find_element(By.ID, "banner").is_displayed()

        # 4 -> 3 ahead: the alert at the default threshold, within a second of the call.
        first = queue.call_next(empty_db, 2, site="hall").ticket
        assert first is not None
        elapsed = wait_for(lambda: "前面还有 3 人" in text(browser, "banner"), 1.0,
                           "the 快到了 alert after the call")
        assert elapsed < 1.0
        assert text(browser, "ahead") == "3"
        assert browser.execute_script("return window.__vibrations.length") == 1
        assert browser.execute_script("return window.__notifications") == [
            "快到了！前面还有 3 人"]
        browser.save_screenshot(str(screenshot_dir / "web-ticket-near.png"))

        # The server restarts; the page says so, then catches up by itself.
        server.stop()
        wait_for(lambda: "连接中断" in text(browser, "connection"), 5,
                 "the page notices the lost connection")
        queue.call_next(empty_db, 1, site="hall")
        server.start()
        wait_for(lambda: text(browser, "ahead") == "2", 10, "the page catches up after restart")
        wait_for(lambda: not browser.find_element(By.ID, "connection").is_displayed(), 5,
                 "the connection notice goes away")

        # Called: "请到 2 号窗口", big, with an alert of its own.
        queue.start(empty_db, first.id, site="hall")
        queue.call_number(empty_db, mine.ticket.number, 2, site="hall")
        elapsed = wait_for(lambda: text(browser, "called") == "请到 2 号窗口", 1.0,
                           "the call on the page")
        assert elapsed < 1.0
        assert "请到 2 号窗口办理" in text(browser, "banner")
        size = browser.execute_script(
            "return parseFloat(getComputedStyle(document.getElementById('called')).fontSize)")
        assert size >= 36
        assert not browser.find_element(By.ID, "waiting").is_displayed()
        assert browser.execute_script("return window.__vibrations.length") == 2
        browser.save_screenshot(str(screenshot_dir / "web-ticket-called.png"))

        browser.get(f"{server.url}/hall/hall")
        wait_for(lambda: "请 " + mine.ticket.number + " 号到 2 号窗口办理" in text(browser, "calls"),
                 5, "the hall page lists the call")
        assert "甲业务" in text(browser, "services")
        issuing.issue_ticket(empty_db, "SB", site="hall")
        wait_for(lambda: any("乙业务" in row.text and "1 人" in row.text
                             for row in browser.find_elements(By.CSS_SELECTOR, "#services tr")),
                 1.0, "the hall page updates its queue")
        browser.save_screenshot(str(screenshot_dir / "web-hall.png"))

        # Remote ticket: the form (with its CSRF token and cookie) and the code page.
        browser.find_element(By.LINK_TEXT, "远程取号").click()
        wait_for(lambda: browser.find_elements(By.ID, "phone"), 5, "the remote ticket form")
        browser.find_element(By.ID, "phone").send_keys("13812345678")
        browser.save_screenshot(str(screenshot_dir / "web-remote-form.png"))
        browser.find_element(By.ID, "take").click()
        wait_for(lambda: len(text(browser, "code")) == 8, 5, "the check-in code page")
        assert "13812345678" not in browser.page_source
        code = text(browser, "code")
        browser.save_screenshot(str(screenshot_dir / "web-remote.png"))
        # Checked in at the kiosk: the same page turns into the ticket's page.
        checked_in = issuing.check_in_appointment(empty_db, code, site="hall")
        wait_for(lambda: text(browser, "number") == checked_in.ticket.number
                 and browser.current_url.split("/")[-2] == "t", 3,
                 "the code page becomes the ticket page")
    finally:
        server.stop()
