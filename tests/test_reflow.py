"""WCAG 1.4.10 (reflow): at 320px no page scrolls sideways. A data table is the usual cause,
so every table in the templates either stacks its cells on a narrow screen (app-table--stack)
or scrolls inside its own labelled, focusable region (app-table-scroll). The journeys in
tests/e2e measure pages' widths in Chromium; this finds a new table anywhere at once."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
REGION = re.compile(
    r'<div class="app-table-scroll" role="region" aria-label(?:ledby)?="[^"]+" tabindex="0">$'
)


def tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<table[^>]*>", text):
            yield path.relative_to(TEMPLATES), text[: match.start()], match.group(0)


def test_every_table_stacks_or_scrolls_in_a_labelled_focusable_region():
    loose = [
        f"{path}:{before.count(chr(10)) + 1}"
        for path, before, table in tables()
        if "app-table--stack" not in table and not REGION.search(before.rstrip())
    ]
    assert loose == []


def test_a_region_is_named_by_a_caption_that_exists():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for name in re.findall(r'class="app-table-scroll" role="region" aria-labelledby="([^"]+)"', text):
            assert f'id="{name}"' in text, (path, name)
