"""Finding 10 (info): cells that start with white space, a line feed, a non-breaking space
or a full-width sign before = + - @ still ran as formulas in a spreadsheet."""

from decimal import Decimal

import pytest

from trusts.exports.cells import neutralise


@pytest.mark.parametrize(
    "text",
    [
        " =1+1",
        '\n=HYPERLINK("http://x")',
        "\u00a0=1+1",
        "\u3000@SUM(A1)",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "  \t+1",
        "\r\n-1",
        "\tanything",
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Kent County Council", "A - B", "1 + 1", "", " plain", "£60,000"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


def test_numbers_stay_numbers():
    assert neutralise(Decimal("-5")) == Decimal("-5")
