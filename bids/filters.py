"""The ranking page's rows, filters, search and sort.

A round has at most one live bid per local authority, so its ranking is a few hundred rows
at most: `ranked_rows` reads them in three small queries (the round's counted totals, its
counted criterion scores, its bids), with the scores worked out in Python as the calibration
page and the score sheet work them out, and the page filters, sorts and pages them in
Python. (One SQL query with every score as a subquery cost more in Django's query compiler
than the database spent running it.) The moderation overview reads the same rows.
django-filter builds the filters' form.
"""

import django_filters
from django import forms
from django.db.models import Count

from core.forms import widgets
from reference.models import AuthorityKind, Region

from . import calibration, scoring
from .models import Assessment, Assignment, Bid, BidState, Focus

RANKED_STATES = [state for state in BidState if state != BidState.DRAFT]

# Sort keys: ?sort=score (highest first) ... and their opposites with a leading minus:
# (label, the row's value sorted on, highest first). Bids without a score come last either
# way; ties go by authority, then the bid's id.
SORTS = {
    "score": ("Mean score", "effective_score", True),
    "-score": ("Mean score, lowest first", "effective_score", False),
    "standardised": ("Standardised score", "effective_standardised", True),
    "-standardised": ("Standardised score, lowest first", "effective_standardised", False),
    "authority": ("Authority", "authority__name", False),
    "-authority": ("Authority, Z to A", "authority__name", True),
    "requested": ("Requested", "requested_total", True),
    "-requested": ("Requested, smallest first", "requested_total", False),
    "state": ("Status", "state_order", False),
    "-state": ("Status, last stage first", "state_order", True),
}
DEFAULT_SORT = "score"
STATE_ORDER = {state.value: position for position, state in enumerate(BidState)}


def ranked_rows(funding_round):
    """The round's ranked bids as plain rows, each with its mean score (effective_score) and
    standardised score (effective_standardised), a moderated score winning in both, how many
    scores count and how far they spread, whether its assessors disagree (flagged), what it
    asks for and its status's place in the workflow."""
    scores = calibration.counted_scores(funding_round)
    standardised = calibration.standardised(scores, calibration.leniencies(scores))
    totals = {}
    for score in scores:
        totals.setdefault(score.bid_id, []).append(score.total)
    flagged = scoring.disagreeing_bids(funding_round)
    rows = []
    round_bids = Bid.objects.filter(funding_round=funding_round).exclude(state=BidState.DRAFT)
    for row in round_bids.values(*BID_COLUMNS).order_by():
        pk, moderated = row["pk"], row.pop("moderation__score")
        counted = totals.get(pk, [])
        mean = scoring.mean(counted)
        row.update(
            requested_total=funding_round.base_award + row.pop("supplement_requested"),
            mean_score=mean,
            scores_counted=len(counted),
            spread=max(counted) - min(counted) if counted else None,
            effective_score=mean if moderated is None else moderated,
            standardised_score=standardised.get(pk),
            effective_standardised=standardised.get(pk) if moderated is None else moderated,
            moderated_score=moderated,
            flagged=pk in flagged,
            state_order=STATE_ORDER[row["state"]],
        )
        rows.append(row)
    return rows


def moderation_rows(funding_round):
    """The round's bids awaiting moderation (submitted or under assessment), those whose
    assessors disagree first, then by authority: ranked rows with how many assessors each
    has and whether a score was set aside."""
    waiting = (BidState.SUBMITTED, BidState.UNDER_ASSESSMENT)
    rows = [row for row in ranked_rows(funding_round) if row["state"] in waiting]
    assessors = dict(
        Assignment.objects.filter(bid__funding_round=funding_round)
        .order_by()
        .values("bid")
        .annotate(n=Count("pk"))
        .values_list("bid", "n")
    )
    set_aside = set(
        Assessment.objects.filter(bid__funding_round=funding_round, set_aside=True).values_list(
            "bid_id", flat=True
        )
    )
    for row in rows:
        row.update(assessors=assessors.get(row["pk"], 0), has_set_aside=row["pk"] in set_aside)
    return sorted(rows, key=lambda row: (not row["flagged"], row["authority__name"], row["pk"]))


BID_COLUMNS = (
    "pk",
    "reference",
    "state",
    "focus",
    "authority__name",
    "authority__kind",
    "authority__region",
    "supplement_requested",
    "moderation__score",
)


def sorted_rows(rows, key):
    _, field, highest_first = SORTS[key]
    rows = sorted(rows, key=lambda row: (row["authority__name"], row["pk"]))
    present = [row for row in rows if row[field] is not None]
    present.sort(key=lambda row: row[field], reverse=highest_first)  # stable: ties keep their order
    return present + [row for row in rows if row[field] is None]


class RankingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by authority or reference",
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
    )
    state = django_filters.ChoiceFilter(
        label="Status",
        choices=[(state.value, state.label) for state in RANKED_STATES],
        empty_label="Any status",
        widget=widgets.Select,
    )
    region = django_filters.ChoiceFilter(
        label="Region",
        field_name="authority__region",
        choices=Region.choices,
        empty_label="Any region",
        widget=widgets.Select,
    )
    kind = django_filters.ChoiceFilter(
        label="Type of authority",
        field_name="authority__kind",
        choices=AuthorityKind.choices,
        empty_label="Any type",
        widget=widgets.Select,
    )
    focus = django_filters.ChoiceFilter(
        label="Focus", choices=Focus.choices, empty_label="Any focus", widget=widgets.Select
    )
    flagged = django_filters.ChoiceFilter(
        label="Assessors' scores",
        choices=[("yes", "Flagged: assessors differ by 2 or more"), ("no", "Not flagged")],
        empty_label="Flagged or not",
        widget=widgets.Select,
    )
    basis = django_filters.ChoiceFilter(
        label="Filter on",
        choices=[("standardised", "Standardised score"), ("mean", "Mean score")],
        empty_label=None,
        widget=widgets.Select,
    )
    at_least = django_filters.NumberFilter(
        label="Score at least (%)",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter the score as a number from 0 to 100, like 60",
            "min_value": "Enter a score from 0 to 100",
            "max_value": "Enter a score from 0 to 100",
        },
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _, _) in SORTS.items()],
        empty_label=None,
        widget=widgets.Select,
    )

    def rows(self, funding_round):
        """The round's ranked bids that match the filters, in the order chosen."""
        rows = ranked_rows(funding_round)
        # Each filter answered well applies; one that was not is left out, and the error
        # summary says why.
        answers = {}
        if self.is_bound:
            self.form.is_valid()  # cleans the form, keeping the answers given well
            answers = self.form.cleaned_data
        words = (answers.get("q") or "").strip().lower()
        if words:
            rows = [
                r for r in rows if words in r["authority__name"].lower() or words in r["reference"].lower()
            ]
        for name, field in (
            ("state", "state"),
            ("region", "authority__region"),
            ("kind", "authority__kind"),
            ("focus", "focus"),
        ):
            if answers.get(name):
                rows = [r for r in rows if r[field] == answers[name]]
        if answers.get("flagged"):
            rows = [r for r in rows if r["flagged"] == (answers["flagged"] == "yes")]
        if answers.get("at_least") is not None:
            field = "effective_score" if answers.get("basis") == "mean" else "effective_standardised"
            rows = [r for r in rows if r[field] is not None and r[field] >= answers["at_least"]]
        return sorted_rows(rows, self.sort_key)

    @property
    def sort_key(self):
        if self.is_bound and self.form.is_valid():
            key = self.form.cleaned_data.get("sort")
            if key in SORTS:
                return key
        return DEFAULT_SORT
