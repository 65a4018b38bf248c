"""Money is Decimal pounds everywhere: one field shape, one way to show it, one way to read it."""

from decimal import Decimal, InvalidOperation

MONEY = {"max_digits": 12, "decimal_places": 2}
PENNY = Decimal("0.01")


def plain_amount(value, grouped=False):
    """60000 or 60000.50 (60,000 with `grouped`): what a money input shows for a saved amount."""
    amount = Decimal(value)
    separator = "," if grouped else ""
    if amount == amount.to_integral_value():
        return f"{amount:{separator}.0f}"
    return f"{amount:{separator}.2f}"


def money(value):
    """£60,000 or £60,000.50: pounds with pence only when there are some; "" for nothing."""
    if value is None or value == "":
        return ""
    return f"£{plain_amount(value, grouped=True)}"


def parse_pounds(text):
    """The amount typed as £60,000, 60000 or 60000.50, as Decimal pounds.

    Raises ValueError for anything else: words, more than two decimal places, or a number
    too large to hold in pence (1e400).
    """
    cleaned = str(text).strip().removeprefix("£").replace(",", "").replace(" ", "")
    try:
        amount = Decimal(cleaned)
        exact = amount.is_finite() and amount == amount.quantize(PENNY)
    except InvalidOperation:
        exact = False
    if not exact:
        raise ValueError(f"not an amount in pounds: {text!r}")
    return amount.quantize(PENNY)
