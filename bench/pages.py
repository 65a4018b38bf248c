"""Time each page in-process through Django's test client: query count, then 5 warm-up
requests and 30 timed ones. Prints one JSON object. Run by bench/run.py, which sets the
environment (DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL, REDIS_URL)."""

import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.middleware import SECOND_FACTOR_VERIFIED  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from bench.data import BENCH_COUNCIL, BENCH_ROUND_PREFIX  # noqa: E402
from bids.filters import RANKED_STATES  # noqa: E402
from bids.models import Assignment, Bid, FundingRound, Interview  # noqa: E402
from bids.views.council import COUNCIL_BIDS_PER_PAGE  # noqa: E402
from bids.views.ranking import RANKING_PAGE_SIZE  # noqa: E402
from trusts.enums import ACCEPTED_STATES, AwardState, InstalmentState  # noqa: E402
from trusts.models import FundingAward  # noqa: E402
from trusts.queries import AWARDS_PER_PAGE  # noqa: E402

WARM_UP = 5
TIMED = 30
BACKEND = "django.contrib.auth.backends.ModelBackend"


def percentile(values, share):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def signed_in(user):
    """A client signed in as `user` completely: an official has given their second factor too."""
    client = Client()
    client.force_login(user, backend=BACKEND)
    session = client.session
    session[SECOND_FACTOR_VERIFIED] = True
    session.save()
    return client


def pages():
    """(name, who, url) for every page the harness measures, on the newest round."""
    funding_round = (
        FundingRound.objects.filter(slug__startswith=BENCH_ROUND_PREFIX).order_by("-opens_at").first()
    )
    council = (
        User.objects.filter(role=Role.COUNCIL, local_authority__code=BENCH_COUNCIL).order_by("pk").first()
    )
    lead = User.objects.filter(role=Role.LEAD).order_by("pk").first()
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    # The assessor with the most bids assigned (the longest queue) of those on an interview
    # panel still to come, so their home page lists panels too at every N.
    busiest = (
        Assignment.objects.filter(
            assessor__in=Interview.objects.filter(state=Interview.State.SCHEDULED).values("panel")
        )
        .values("assessor")
        .order_by()
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n")
    )[0]
    assessor = User.objects.get(pk=busiest["assessor"])
    bid = Bid.objects.filter(funding_round=funding_round, authority__code=BENCH_COUNCIL).get()
    ranked = funding_round.bids.filter(state__in=RANKED_STATES).count()
    last_page = max(1, math.ceil(ranked / RANKING_PAGE_SIZE))
    ranking = reverse("bids:ranking", kwargs={"round_slug": funding_round.slug})
    slug = {"round_slug": funding_round.slug}
    council_bids = Bid.objects.filter(authority__code=BENCH_COUNCIL).count()
    council_last = max(1, math.ceil(council_bids / COUNCIL_BIDS_PER_PAGE))
    awards_last = max(1, math.ceil(FundingAward.objects.count() / AWARDS_PER_PAGE))
    # The bench council's pilot with the most returns, and its latest return.
    pilot = (
        FundingAward.objects.filter(bid__authority__code=BENCH_COUNCIL, state__in=ACCEPTED_STATES)
        .annotate(returns=django.db.models.Count("monitoring_returns"))
        .order_by("-returns", "-pk")
        .first()
    )
    latest_return = pilot.monitoring_returns.order_by("-period").first()
    # An award whose schedule the lead may still change: accepted, nothing asked for yet.
    open_schedule = (
        FundingAward.objects.filter(state=AwardState.ACCEPTED)
        .exclude(
            instalments__state__in=[InstalmentState.REQUESTED, InstalmentState.APPROVED, InstalmentState.PAID]
        )
        .order_by("-pk")
        .first()
    )
    return funding_round, {
        "assessor": assessor,
        "council_bids": council_bids,
        "rows": [
            ("Council home, first page", council, reverse("home")),
            (f"Council home, last page ({council_last})", council, f"{reverse('home')}?page={council_last}"),
            ("Bid page, council's view", council, reverse("bids:bid", kwargs={"reference": bid.reference})),
            ("Bid page, official's view", lead, reverse("bids:bid", kwargs={"reference": bid.reference})),
            ("Assessor queue", assessor, reverse("home")),
            ("Programme pipeline (lead's home)", lead, reverse("home")),
            ("Ranking, first page", lead, ranking),
            (f"Ranking, last page ({last_page})", lead, f"{ranking}?page={last_page}"),
            ("Ranking, filtered", lead, f"{ranking}?state=not_shortlisted&region=&sort=authority"),
            ("Ranking, searched", lead, f"{ranking}?q=shire"),
            ("Moderation", lead, reverse("bids:moderation", kwargs=slug)),
            ("Calibration", lead, reverse("bids:calibration", kwargs=slug)),
            ("Budget", lead, reverse("trusts:budget", kwargs=slug)),
            ("Awards list, first page", lead, reverse("trusts:awards")),
            (
                f"Awards list, last page ({awards_last})",
                lead,
                f"{reverse('trusts:awards')}?page={awards_last}",
            ),
            ("Award page, official's view", lead, reverse("trusts:award", kwargs={"pk": pilot.pk})),
            ("Payments list, first page", lead, reverse("trusts:payments")),
            (
                "Payments awaiting approval",
                lead,
                f"{reverse('trusts:payments')}?state=requested&funding_round=",
            ),
            ("Payment schedule", lead, reverse("trusts:schedule", kwargs={"pk": open_schedule.pk})),
            ("Monitoring returns, first page", lead, reverse("monitoring:returns")),
            ("Monitoring returns, submitted", lead, f"{reverse('monitoring:returns')}?state=submitted"),
            (
                "Award's returns, council's view",
                council,
                reverse("monitoring:award-returns", kwargs={"pk": pilot.pk}),
            ),
            (
                "Monitoring return, council's view",
                council,
                reverse("monitoring:return", kwargs={"pk": latest_return.pk}),
            ),
            ("Users list, first page", admin, reverse("accounts:users")),
            ("Reports", admin, reverse("trusts:reports")),
        ],
        # Not a page of the service: the bare view the load test compares the ranking page
        # with, timed the same way, so its cost in process sits beside the ranking page's.
        "extras": [
            ("Bare ranking view (bench only)", lead, reverse("bench-bare", kwargs=slug)),
        ],
    }


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Count now: the next request's request_started signal empties the query log.
    query_count = len(queries)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, not 200")
    for _ in range(WARM_UP):
        client.get(url)
    times = []
    for _ in range(TIMED):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, not 200")
    # Where the time goes: one more warm request with each query's time recorded (which
    # slows it a little, so it is not among the timed ones).
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    spent = [(float(query["time"]) * 1000, query["sql"]) for query in queries.captured_queries]
    slowest = max(spent, default=(0.0, ""))
    return {
        "queries": query_count,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "bytes": len(response.content),
        "sql_ms": round(sum(ms for ms, _ in spent), 1),
        "slowest_ms": round(slowest[0], 1),
        "slowest_sql": " ".join(slowest[1].split())[:300],
    }


def main():
    funding_round, plan = pages()
    results = []
    clients = {}
    rows = [(row, False) for row in plan["rows"]] + [(row, True) for row in plan["extras"]]
    for (name, user, url), extra in rows:
        if user.pk not in clients:
            clients[user.pk] = signed_in(user)
        client = clients[user.pk]
        row = {"page": name, "url": url, "as": user.email, "extra": extra, **measure(client, url)}
        results.append(row)
        print(
            f"  {name:36} {row['queries']:3d} queries  median {row['median_ms']:7.1f} ms  "
            f"p95 {row['p95_ms']:7.1f} ms",
            file=sys.stderr,
        )
    assessor = plan["assessor"]
    print(
        json.dumps(
            {
                "round": funding_round.slug,
                "round_bids": funding_round.bids.count(),
                "bids": Bid.objects.count(),
                "assessor_bids": Assignment.objects.filter(assessor=assessor).count(),
                "council_bids": plan["council_bids"],
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
