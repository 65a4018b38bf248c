"""The programme lead's ranking of a round's bids: filters, sort both ways, one page at a
time from one query, and shortlisting many bids at once."""

import sys

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.decorators import permission_required
from core.money import money
from core.scores import percent
from core.templatetags.service import STATE_TAG_COLOURS
from core.views import pagination
from reference.models import AuthorityKind, Region

from .. import (
    staging,
    workflow,
)
from ..filters import SORTS, RankingFilter, ranking_queryset
from ..forms.decisions import BulkShortlistForm
from ..models import BidState, Focus
from ..queries import current_round
from .programme import _round

RANKING_PAGE_SIZE = 50


# Ranking and shortlisting ----------------------------------------------------------------


@permission_required("bids.view_programme")
def current_ranking(request):
    funding_round = current_round()
    if funding_round is None:
        raise Http404("There are no funding rounds yet")
    return redirect("bids:ranking", round_slug=funding_round.slug)


@permission_required("bids.view_programme")
def ranking(request, round_slug):
    funding_round = _round(round_slug)
    filters = RankingFilter(request.GET or None, queryset=ranking_queryset(funding_round))
    page = _ranking_page(filters.qs, request.GET.get("page"))
    can_shortlist = request.user.has_perm("bids.manage_assessment")
    selectable = [bid["pk"] for bid in page.object_list if bid["state"] == BidState.UNDER_ASSESSMENT]
    bulk = BulkShortlistForm(selectable=selectable)
    if request.method == "POST":
        if not can_shortlist:
            return HttpResponse(status=403)
        bulk = BulkShortlistForm(request.POST, selectable=_posted_selectable(request, funding_round))
        if bulk.is_valid():
            _bulk_shortlist(request, funding_round, bulk)
            return redirect(request.get_full_path())
        selected = set(request.POST.getlist("bids"))
    else:
        selected = set()
    rows = _ranking_rows(page, set(selectable), selected)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bids/programme/ranking.html",
        {
            "page_title": f"Ranking: {funding_round.name}",
            "round": funding_round,
            "filters": filters,
            "page": page,
            "rows": rows,
            "pages": pagination(page, query),
            "sort": filters.sort_key,
            "sort_links": _sort_links(query, filters.sort_key),
            "bulk": bulk,
            "form": bulk,
            "error_forms": [filters.form, bulk],
            "selected": selected,
            "can_shortlist": can_shortlist,
            "selectable": set(selectable),
            "active_filters": [
                (filters.form[name].label, filters.form[name].value())
                for name in ("q", "state", "region", "kind", "focus", "flagged", "at_least")
                if filters.is_bound and filters.form[name].value()
            ],
        },
    )


# What the ranking table shows of each bid, read as plain values: model instances with
# every column of the bid, its authority and round cost more than the query.
RANKING_COLUMNS = (
    "pk",
    "reference",
    "state",
    "focus",
    "authority__name",
    "authority__kind",
    "authority__region",
    "requested_total",
    "mean_score",
    "effective_score",
    "standardised_score",
    "effective_standardised",
    "moderated_score",
    "flagged",
)
STATE_LABELS = dict(BidState.choices)
FOCUS_LABELS = dict(Focus.choices)
REGION_LABELS = dict(Region.choices)
KIND_LABELS = dict(AuthorityKind.choices)
# The furthest page whose OFFSET PostgreSQL's bigint holds; past it, the count decides.
LAST_PAGE_TRIED = sys.maxsize // RANKING_PAGE_SIZE


def _ranking_page(bids, number):
    """The page of the ranking `Paginator.get_page` would give, from one query: each row
    carries the number of bids matching (COUNT(*) OVER (), counted before LIMIT), so there
    is no separate count. Only a page past the end (or below 1) needs the count first, to
    fall back to the last page as get_page does."""
    rows = bids.annotate(matching=Window(Count("pk"))).values(*RANKING_COLUMNS, "matching")
    paginator = Paginator(rows, RANKING_PAGE_SIZE)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if 1 <= wanted <= LAST_PAGE_TRIED:
        start = (wanted - 1) * RANKING_PAGE_SIZE
        found = list(rows[start : start + RANKING_PAGE_SIZE])
        if found or wanted == 1:
            paginator.count = found[0]["matching"] if found else 0  # instead of its count query
            return paginator._get_page(found, wanted, paginator)
    return paginator.get_page(paginator.num_pages)


def _ranking_rows(page, selectable, selected):
    """The table's rows with their labels, link and figures worked out here rather than by
    tags and filters in the template's loop."""
    rows = []
    for rank, bid in enumerate(page.object_list, start=page.start_index()):
        state = bid["state"]
        rows.append(
            {
                **bid,
                "rank": rank,
                "href": reverse("bids:bid", kwargs={"reference": bid["reference"]}),
                "kind_label": KIND_LABELS.get(bid["authority__kind"], bid["authority__kind"]).lower(),
                "region_label": REGION_LABELS.get(bid["authority__region"], bid["authority__region"]),
                "focus_label": FOCUS_LABELS.get(bid["focus"], bid["focus"]) or "No focus given",
                "state_label": STATE_LABELS.get(state, state),
                "state_colour": STATE_TAG_COLOURS.get(state, ""),
                "requested": money(bid["requested_total"]),
                "score": percent(bid["effective_score"]),
                "mean": percent(bid["mean_score"]),
                "standardised": percent(bid["effective_standardised"]),
                "unmoderated_standardised": percent(bid["standardised_score"]),
                "selectable": bid["pk"] in selectable,
                "checked": str(bid["pk"]) in selected,
            }
        )
    return rows


def _posted_selectable(request, funding_round):
    """The bids the form may name: this round's, under assessment when the page was drawn.
    A bid that has moved on since is still accepted here, and the workflow reports it.
    Only what int() reads counts ("²" passes isdigit(), not isdecimal()), at a database id's size."""
    posted = [int(pk) for pk in request.POST.getlist("bids") if pk.isdecimal() and len(pk) <= 18]
    return list(funding_round.bids.filter(pk__in=posted).values_list("pk", flat=True))


def _bulk_shortlist(request, funding_round, form):
    """Each bid in its own transaction: one that fails (changed by someone else, no longer
    under assessment, or with a decision already pending) is reported by reference and the
    others still change. Told later, each is recorded as pending with the same feedback,
    which the lead can then change for each council before releasing them."""
    action = form.cleaned_data["decision"]
    reason = form.cleaned_data["reason"]
    later = form.later
    bids = funding_round.bids.filter(pk__in=form.cleaned_data["bids"]).select_related("authority")
    done, failed = [], []
    for bid in sorted(bids, key=lambda b: b.reference):
        seen = request.POST.get(f"seen-{bid.pk}") or None
        try:
            if later:
                staging.stage(
                    bid,
                    request.user,
                    outcome=action,
                    reasons=reason,
                    feedback=form.cleaned_data["feedback"],
                    expected_state=seen,
                )
            else:
                workflow.change_state(bid, action, request.user, reason=reason, expected_state=seen)
        except workflow.WorkflowError as error:
            failed.append(f"{bid.reference}: {' '.join(error.problems)}")
        else:
            done.append(bid.reference)
    verb = "Shortlisted" if action == "shortlist" else "Not shortlisted"
    if done and later:
        messages.success(
            request,
            f"{verb} as pending, not yet released: {', '.join(done)}. No council has been told. Change each "
            "council's feedback and release them from the pending decisions, linked at the top of this page.",
        )
    elif done:
        messages.success(request, f"{verb} {len(done)} bid{'s' if len(done) != 1 else ''}: {', '.join(done)}")
    for failure in failed:
        messages.info(request, f"Not changed: {failure}")


def _sort_links(query, current):
    """For each sortable column: the link that sorts by it (or reverses it) and aria-sort."""
    links = {}
    highest_first = ("score", "standardised", "requested")
    for key in ("score", "standardised", "authority", "requested", "state"):
        params = query.copy()
        if current == key:
            params["sort"] = f"-{key}"
            direction = "descending" if key in highest_first else "ascending"
        elif current == f"-{key}":
            params["sort"] = key
            direction = "ascending" if key in highest_first else "descending"
        else:
            params["sort"] = key
            direction = "none"
        arrow = {
            "descending": "\N{BLACK DOWN-POINTING TRIANGLE}",
            "ascending": "\N{BLACK UP-POINTING TRIANGLE}",
        }
        links[key] = {
            "href": f"?{params.urlencode()}",
            "aria_sort": direction,
            "label": SORTS[key][0],
            "arrow": arrow.get(direction, ""),
        }
    return links
