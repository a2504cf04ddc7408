"""The page in a real browser (Debian's headless Chromium): no console errors, filters, deep links."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from conformance.backend.engine import EngineUnavailable, ensure_host_packages
from conformance.report.html import render_html
from tests.report.records import document, varied

pytestmark = pytest.mark.browser
ROW = "debian-bookworm/user/explicit-user-bsp/demo-pkg"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    try:
        ensure_host_packages(("chromium", "chromium"), ("chromedriver", "chromium-driver"))
    except EngineUnavailable as error:
        pytest.skip(f"no Chromium here and none can be installed: {error}")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    # No background traffic: this machine's network is closed, and the page needs none.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    page = tmp_path_factory.mktemp("report") / "index.html"
    page.write_text(render_html(document(varied())), encoding="utf-8")
    return Path(page).as_uri()


def _errors(driver: webdriver.Chrome) -> list[str]:
    entries: list[dict[str, str]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [e["message"] for e in entries if e["level"] == "SEVERE"]


def _wait(driver: webdriver.Chrome, script: str) -> object:
    return WebDriverWait(driver, 10).until(lambda d: d.execute_script(script))


def test_the_page_loads_without_console_errors(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    assert browser.execute_script("return document.getElementById('filters').hidden") is False
    assert browser.find_element("id", "shown").text == "Showing 3 of 3 rows."
    assert _errors(browser) == []


def test_a_deep_link_opens_its_cell_with_its_evidence(browser: webdriver.Chrome, url: str) -> None:
    browser.get(f"{url}#{ROW}/uv-user")
    _wait(
        browser,
        f"const p = document.getElementById('{ROW}/uv-user'); return p && p.classList.contains('open')",
    )
    panel = browser.find_element("id", f"{ROW}/uv-user")
    assert "unsupported-option" in panel.text
    assert "</script><b>" in panel.text  # the installer's hostile output, shown as text
    injected = "return [...document.querySelectorAll('.detail b')].some(b => b.textContent === 'bold')"
    assert browser.execute_script(injected) is False
    assert _errors(browser) == []


def test_filters_hide_cells_and_go_into_the_url(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    browser.find_element("css selector", "#filters input[name=spelling][value=uv-target]").click()
    hidden = browser.execute_script(
        "return [...document.querySelectorAll('td.cell[data-spelling=\"uv-target\"]')].every(td => td.hidden)"
    )
    assert hidden is True
    assert "spelling=" in browser.current_url and "uv-target" not in browser.current_url.split("spelling=")[1]
    browser.find_element("id", "reset").click()
    assert browser.execute_script("return location.search") == ""
    assert _errors(browser) == []


def test_the_advice_links_open_evidence_of_another_target(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    link = browser.find_element(
        "css selector", '#advice a[href="#ubuntu-noble/user/explicit-user-bsp/demo-pkg/pip"]'
    )
    link.click()
    _wait(
        browser,
        "const p = document.getElementById('ubuntu-noble/user/explicit-user-bsp/demo-pkg/pip');"
        " return p && p.classList.contains('open')",
    )
    assert _errors(browser) == []
