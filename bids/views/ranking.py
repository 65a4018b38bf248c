"""The programme lead's ranking of a round's bids: filters, sort both ways, one page at a
time, and shortlisting many bids at once."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
from ..filters import SORTS, RankingFilter
from ..forms.decisions import BulkShortlistForm
from ..models import Bid, BidState, Focus
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
    filters = RankingFilter(request.GET or None, queryset=Bid.objects.none())
    page = Paginator(filters.rows(funding_round), RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
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
    rows = _ranking_rows(page, set(selectable), selected, can_shortlist)
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


STATE_LABELS = dict(BidState.choices)
FOCUS_LABELS = dict(Focus.choices)
REGION_LABELS = dict(Region.choices)
KIND_LABELS = dict(AuthorityKind.choices)


def _ranking_rows(page, selectable, selected, can_shortlist):
    """The table's rows, each written here as HTML: fifty rows of a dozen cells each through
    the template language cost more than the rest of the page together."""
    return [
        _row_html(rank, bid, can_shortlist, bid["pk"] in selectable, str(bid["pk"]) in selected)
        for rank, bid in enumerate(page.object_list, start=page.start_index())
    ]


def _row_html(rank, bid, can_shortlist, selectable, checked):
    state, moderated = bid["state"], bid["moderated_score"] is not None
    pick = ""
    if can_shortlist:
        box = ""
        if selectable:
            box = format_html(
                ROW_CHECKBOX,
                pk=bid["pk"],
                checked=" checked" if checked else "",
                name=bid["authority__name"],
                state=state,
            )
        pick = format_html('<td class="govuk-table__cell">{}</td>', box)
    return format_html(
        ROW,
        pick=pick,
        rank=rank,
        href=reverse("bids:bid", kwargs={"reference": bid["reference"]}),
        name=bid["authority__name"],
        reference=bid["reference"],
        kind=KIND_LABELS.get(bid["authority__kind"], bid["authority__kind"]).lower(),
        colour=STATE_TAG_COLOURS.get(state, ""),
        state=STATE_LABELS.get(state, state),
        region=REGION_LABELS.get(bid["authority__region"], bid["authority__region"]),
        focus=FOCUS_LABELS.get(bid["focus"], bid["focus"]) or "No focus given",
        requested=money(bid["requested_total"]),
        score=percent(bid["effective_score"]),
        mean_note=format_html(MODERATED_NOTE, "mean", percent(bid["mean_score"])) if moderated else "",
        flag=mark_safe(FLAG) if bid["flagged"] else "",  # noqa: S308  # nosec B308
        standardised=percent(bid["effective_standardised"]),
        standardised_note=format_html(MODERATED_NOTE, "standardised", percent(bid["standardised_score"]))
        if moderated
        else "",
    )


ROW = """
      <tr class="govuk-table__row">
        {pick}
        <td class="govuk-table__cell govuk-table__cell--numeric">{rank}</td>
        <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{name}</a><br><span class="govuk-hint app-inline-hint">{reference}, {kind}</span></td>
        <td class="govuk-table__cell"><strong class="govuk-tag {colour}">{state}</strong></td>
        <td class="govuk-table__cell">{region}<br><span class="govuk-hint app-inline-hint">{focus}</span></td>
        <td class="govuk-table__cell govuk-table__cell--numeric">{requested}</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">{score}{mean_note}{flag}</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">{standardised}{standardised_note}</td>
      </tr>"""
ROW_CHECKBOX = """
          <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            <div class="govuk-checkboxes__item">
              <input class="govuk-checkboxes__input" id="bid-{pk}" name="bids" type="checkbox" value="{pk}"{checked}>
              <label class="govuk-label govuk-checkboxes__label" for="bid-{pk}"><span class="govuk-visually-hidden">Select {name}</span></label>
            </div>
          </div>
          <input type="hidden" name="seen-{pk}" value="{state}">
        """
MODERATED_NOTE = '<br><span class="govuk-hint app-inline-hint">moderated; {} {}</span>'
FLAG = '<br><strong class="govuk-tag govuk-tag--orange">Flagged</strong>'


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
