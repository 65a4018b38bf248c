"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

`playwright install` cannot download browsers here, so Chromium comes from the system
(/usr/bin/chromium). Outside CI a machine without it skips these tests; in CI they fail.
"""

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from accounts.models import User
from accounts.two_factor import key_for_app
from tests.conftest import need
from tests.factories import PASSWORD
from tests.second_factor import app_of, code_for

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text() if AXE.exists() else ""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core, unless the page has it already, then its run, in one round trip to the browser.
# Only the violations are read, so only they are worked out in full (resultTypes) and sent
# back: every rule still runs on every element and reports every violation with its nodes,
# but the passes (each with its nodes' markup, hundreds of kilobytes a page) stay behind.
AXE_CHECK = (
    f"if (typeof window.axe === 'undefined') {{\n{AXE_SOURCE}\n}}\n"
    f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_TAGS)}}}, "
    "resultTypes: ['violations']}).then(result => result.violations)"
)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    need(Path(CHROMIUM).exists() or shutil.which("chromium"), f"Chromium at {CHROMIUM}")
    need(AXE.exists(), "axe-core (run npm ci)")

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
    """Sign in as a person would, second factor included for officials: the code their
    authenticator app shows, or setting the app up from the key on the page. From the
    sign-in page if that is where the browser is (as after signing out), else from a
    fresh one."""
    if urlparse(page.url).path != "/sign-in" or urlparse(page.url).query:
        page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    give_second_factor(page, email)


def give_second_factor(page, email, keyboard=False):
    path = urlparse(page.url).path
    if path not in ("/two-factor/code", "/two-factor/setup"):
        return
    user = User.objects.get(email__iexact=email)
    label = (
        "Enter the code the app shows" if path == "/two-factor/setup" else "Code from your authenticator app"
    )
    if path == "/two-factor/setup":
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert page.locator("#key").text_content() == key_for_app(device)
    else:
        device = app_of(user)
    if keyboard:
        type_into(page, label, code_for(device))
        press_on(page, "Continue", "button")
    else:
        page.get_by_label(label).fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    if path == "/two-factor/setup" and keyboard:
        press_on(page, "I have saved my recovery codes")
    elif path == "/two-factor/setup":
        page.get_by_role("button", name="I have saved my recovery codes").click()
        page.wait_for_load_state()


# By mouse: the steps a journey takes --------------------------------------------------------


def press(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def follow(page, link):
    with page.expect_navigation():
        (page.get_by_role("link", name=link) if isinstance(link, str | re.Pattern) else link).first.click()


def heading(page):
    return page.get_by_role("heading", level=1).inner_text()


def named(person, full_name):
    person.full_name = full_name
    person.save(update_fields=["full_name"])
    return person


def axe_violations(page):
    """Run axe-core on the page as it is now; return violations at WCAG 2.2 A and AA."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
    # (no inline scripts) rightly does not allow a <script> tag to do.
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in page.evaluate(AXE_CHECK)
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)
    assert not page.errors, f"JavaScript errors on {page.url}: {page.errors}"


# Keyboard only --------------------------------------------------------------------------

# What has focus, named as a user would find it, and whether its focus indicator shows.
# GOV.UK Frontend shows focus with its yellow (#fd0): an outline, a box shadow or a
# background. Radios and checkboxes hide the input itself and draw the focus ring on the
# label's ::before, so that is where it is looked for. An outline counts only if it can be
# seen: GOV.UK's links carry a transparent one for Windows high contrast mode.
FOCUSED = """selector => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const words = node => (node ? node.textContent : "").replace(/\\s+/g, " ").trim();
    const name = el.getAttribute("aria-label")
        || (el.labels && el.labels.length ? words(el.labels[0]) : "")
        || words(el);
    const styled = el.matches(".govuk-radios__input, .govuk-checkboxes__input") && el.labels.length
        ? [el.labels[0], getComputedStyle(el.labels[0], "::before")]
        : [el, getComputedStyle(el)];
    const [box, style] = styled;
    const yellow = "rgb(255, 221, 0)";
    const transparent = c => c === "transparent" || /^rgba\\(.*,\\s*0\\)$/.test(c);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        && !transparent(style.outlineColor);
    const shown = outline || style.boxShadow.includes(yellow) || style.backgroundColor === yellow;
    const rect = box.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        id: el.id,
        name,
        value: "value" in el ? String(el.value) : "",
        checked: Boolean(el.checked),
        matches: selector ? el.matches(selector) : true,
        visible: shown && rect.width > 1 && rect.height > 1,
    };
}"""


def focused(page, selector=None):
    """The element with focus (see FOCUSED), or None when focus is on no element."""
    return page.evaluate(FOCUSED, selector)


def _named(element, name):
    if name is None:
        return True
    if hasattr(name, "search"):
        return bool(name.search(element["name"]))
    return element["name"] == name


def assert_focus_visible(page, after="Tab", selector=None):
    element = focused(page, selector)
    assert element is not None, f"{after} took focus off the page at {page.url}"
    assert element["visible"], f"Focus is not visible on {element} at {page.url} after {after}"
    return element


def tab_to(page, name=None, selector=None, backwards=False, limit=120):
    """Press Tab (or Shift+Tab) until the element called `name` (a string, matched exactly,
    or a compiled pattern) and matching `selector` has focus. After every press, focus must
    be on an element of the page and must be visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        element = assert_focus_visible(page, key, selector)
        if element["matches"] and _named(element, name):
            return element
    raise AssertionError(f"{key} never reached {name or ''} {selector or ''} on {page.url}")


def type_into(page, name, text, selector=None, replace=False):
    """Tab to a field and type, as a user would; `replace` first selects what is there."""
    tab_to(page, name, selector)
    if replace:
        page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def choose(page, label, group, backwards=False):
    """Tab into the radio group named `group` (its inputs' name) and move with the arrow
    keys to the option labelled `label`, which the arrow selects (Space when focus arrives
    on it unselected)."""
    element = tab_to(page, selector=f'input[type=radio][name="{group}"]', backwards=backwards)
    for _ in range(12):
        if _named(element, label):
            if not element["checked"]:
                page.keyboard.press("Space")
            assert focused(page)["checked"], f"{label} is not selected"
            return
        page.keyboard.press("ArrowDown")
        element = assert_focus_visible(page, "ArrowDown")
    raise AssertionError(f"The arrow keys never reached {label} in {group}")


def tick(page, label):
    """Tab to the checkbox labelled `label` and tick it with Space."""
    element = tab_to(page, label, "input[type=checkbox]")
    assert not element["checked"], f"{label} was already ticked"
    page.keyboard.press("Space")
    assert focused(page)["checked"], f"Space did not tick {label}"


def press_on(page, name, selector="a, button", backwards=False, key="Enter"):
    """Tab to a link or button and press Enter on it, waiting for the page it leads to."""
    tab_to(page, name, selector, backwards=backwards)
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def sign_in_with_keyboard(page, email, password=PASSWORD):
    """On the sign-in page: type the email address and password, then press Continue."""
    type_into(page, "Email address", email)
    type_into(page, "Password", password)
    press_on(page, "Continue", "button")
    give_second_factor(page, email, keyboard=True)


def sign_out_with_keyboard(page):
    # The service navigation is above the main content, where focus usually is by now.
    press_on(page, re.compile("^Sign out"), "button", backwards=True)
