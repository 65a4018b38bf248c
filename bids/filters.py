"""The ranking page's filters, search and sort (django-filter).

The queryset it filters must come from `bids.scoring.with_scores` and `ranking_queryset`,
which add the annotations the filters and sort keys use (effective_score, flagged,
requested_total, state_order).
"""

import functools

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.html import format_html, format_html_join

from reference.models import AuthorityKind, Region

from .calibration import with_standardised
from .models import Bid, BidState, Focus
from .scoring import with_scores

RANKED_STATES = [state for state in BidState if state != BidState.DRAFT]

# Sort keys: ?sort=score (highest first) ... and their opposites with a leading minus.
SORTS = {
    "score": ("Mean score", [F("effective_score").desc(nulls_last=True)]),
    "-score": ("Mean score, lowest first", [F("effective_score").asc(nulls_last=True)]),
    "standardised": ("Standardised score", [F("effective_standardised").desc(nulls_last=True)]),
    "-standardised": ("Standardised score, lowest first", [F("effective_standardised").asc(nulls_last=True)]),
    "authority": ("Authority", [F("authority__name").asc()]),
    "-authority": ("Authority, Z to A", [F("authority__name").desc()]),
    "requested": ("Requested", [F("requested_total").desc()]),
    "-requested": ("Requested, smallest first", [F("requested_total").asc()]),
    "state": ("Status", [F("state_order").asc()]),
    "-state": ("Status, last stage first", [F("state_order").desc()]),
}
DEFAULT_SORT = "score"


def ranking_queryset(funding_round):
    """The round's ranked bids with both scores: the mean (effective_score) and the
    standardised one (effective_standardised); a moderated score wins in both."""
    return with_standardised(_ranked_bids().filter(funding_round=funding_round), funding_round)


@functools.cache
def _ranked_bids():
    """Every round's ranked bids with their scores: built once per process, since resolving
    the six score subqueries and the status CASE costs more than the page's query. Each
    use filters (so clones) it; the shared queryset itself is never evaluated."""
    order = Case(
        *[When(state=state.value, then=Value(position)) for position, state in enumerate(BidState)],
        output_field=IntegerField(),
    )
    bids = (
        Bid.objects.exclude(state=BidState.DRAFT)
        .select_related("authority", "funding_round")
        .annotate(
            requested_total=F("funding_round__base_award") + F("supplement_requested"),
            state_order=order,
        )
    )
    return with_scores(bids)


def _attrs(attrs):
    """HTML attributes as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class GovukSelect(forms.Select):
    """A select written in Python, character for character what Django's select.html and
    select_option.html templates write: the ranking page has seven, and rendering each
    option through a template cost more than the page's query."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "govuk-select", **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, group_choices, _ in widget["optgroups"]:
            options = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                (
                    (str(option["value"]), _attrs(option["attrs"]), option["label"])
                    for option in group_choices
                ),
            )
            if group_name:
                options = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, options)
            groups.append((options,))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", groups),
        )


class RankingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by authority or reference",
        method="search",
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
    )
    state = django_filters.ChoiceFilter(
        label="Status",
        choices=[(state.value, state.label) for state in RANKED_STATES],
        empty_label="Any status",
        widget=GovukSelect,
    )
    region = django_filters.ChoiceFilter(
        label="Region",
        field_name="authority__region",
        choices=Region.choices,
        empty_label="Any region",
        widget=GovukSelect,
    )
    kind = django_filters.ChoiceFilter(
        label="Type of authority",
        field_name="authority__kind",
        choices=AuthorityKind.choices,
        empty_label="Any type",
        widget=GovukSelect,
    )
    focus = django_filters.ChoiceFilter(
        label="Focus", choices=Focus.choices, empty_label="Any focus", widget=GovukSelect
    )
    flagged = django_filters.ChoiceFilter(
        label="Assessors' scores",
        choices=[("yes", "Flagged: assessors differ by 2 or more"), ("no", "Not flagged")],
        empty_label="Flagged or not",
        method="filter_flagged",
        widget=GovukSelect,
    )
    basis = django_filters.ChoiceFilter(
        label="Filter on",
        choices=[("standardised", "Standardised score"), ("mean", "Mean score")],
        empty_label=None,
        method="keep",
        widget=GovukSelect,
    )
    at_least = django_filters.NumberFilter(
        label="Score at least (%)",
        method="filter_at_least",
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
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
        method="sort_by",
        widget=GovukSelect,
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(authority__name__icontains=value) | Q(reference__icontains=value))

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged=value == "yes")

    def keep(self, queryset, name, value):
        return queryset  # read by filter_at_least

    def filter_at_least(self, queryset, name, value):
        if value is None:
            return queryset
        field = (
            "effective_score" if self.form.cleaned_data.get("basis") == "mean" else "effective_standardised"
        )
        return queryset.filter(**{f"{field}__gte": value})

    def sort_by(self, queryset, name, value):
        return queryset  # applied last, in `qs`, so every page has one stable order

    @property
    def qs(self):
        queryset = super().qs
        key = self.sort_key
        return queryset.order_by(*SORTS[key][1], "authority__name", "pk")

    @property
    def sort_key(self):
        if self.is_bound and self.form.is_valid():
            key = self.form.cleaned_data.get("sort")
            if key in SORTS:
                return key
        return DEFAULT_SORT
