"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

`playwright install` cannot download browsers here, so Chromium comes from the system
(/usr/bin/chromium). Outside CI a machine without it skips these tests; in CI they fail.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from tests.conftest import need
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text() if AXE.exists() else ""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    need(Path(CHROMIUM).exists() or shutil.which("chromium"), f"Chromium at {CHROMIUM}")
    need(AXE.exists(), "axe-core (run npm ci)")
    from playwright.sync_api import sync_playwright

    # Django restores the reference data a transactional test flushed from a snapshot it
    # keeps on the thread's connection. Once Playwright's event loop runs in this thread,
    # asgiref hands the ORM a context-local connection instead, which lacks the snapshot.
    snapshot = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if snapshot is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, django_db_serialized_rollback, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text)
        if message.type == "error" and "Content Security Policy" in message.text
        else None,
    )
    yield page
    context.close()


def sign_in(page, email, password=PASSWORD):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def axe_violations(page):
    """Run axe-core on the page as it is now; return violations at WCAG 2.2 A and AA."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
    # (no inline scripts) rightly does not allow a <script> tag to do.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)
    assert not page.errors, f"JavaScript errors on {page.url}: {page.errors}"
