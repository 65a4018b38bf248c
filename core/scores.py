"""How the service shows a score: one unit, one rounding rule, one way of saying "no score".

Every score an official sees (an assessor's weighted total, a bid's mean, standardised or
moderated score, a spread or an assessor's leniency) is a percentage of the maximum. It is
kept unrounded and rounded once, when shown: to one decimal place, halves away from zero,
so weighted totals of 71.25 and 56.25 read 71.3% and 56.3% and their mean of 63.75 reads
63.8%.
"""

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
NO_SCORE = "No score"


def rounded(value):
    """The value to one decimal place, halves away from zero (ROUND_HALF_UP on a Decimal)."""
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def percent(value):
    """A score as the service shows it: '71.3%', or 'No score'."""
    if value is None:
        return NO_SCORE
    return f"{rounded(value)}%"


def signed_percent(value):
    """A difference between scores, with its sign: '+6.3%', '−4.0%' (a true minus), '0.0%'."""
    if value is None:
        return NO_SCORE
    shown = rounded(value)
    if shown > 0:
        return f"+{shown}%"
    if shown < 0:
        return f"\N{MINUS SIGN}{-shown}%"
    return "0.0%"
