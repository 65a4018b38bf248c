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

from accounts.models import Role, User  # noqa: E402
from bench.data import BENCH_COUNCIL, BENCH_ROUND_PREFIX  # noqa: E402
from bids.filters import RANKED_STATES  # noqa: E402
from bids.models import Assignment, Bid, FundingRound  # noqa: E402
from bids.views.ranking import RANKING_PAGE_SIZE  # noqa: E402

WARM_UP = 5
TIMED = 30
BACKEND = "django.contrib.auth.backends.ModelBackend"


def percentile(values, share):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def signed_in(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
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
    # The assessor with the most bids assigned: the longest queue.
    busiest = (
        Assignment.objects.values("assessor")
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
    return funding_round, {
        "assessor": assessor,
        "rows": [
            ("Council home", council, reverse("home")),
            ("Bid page, council's view", council, reverse("bids:bid", kwargs={"reference": bid.reference})),
            ("Bid page, official's view", lead, reverse("bids:bid", kwargs={"reference": bid.reference})),
            ("Assessor queue", assessor, reverse("home")),
            ("Ranking, first page", lead, ranking),
            (f"Ranking, last page ({last_page})", lead, f"{ranking}?page={last_page}"),
            ("Ranking, filtered", lead, f"{ranking}?state=not_shortlisted&region=&sort=authority"),
            ("Ranking, searched", lead, f"{ranking}?q=shire"),
            ("Moderation", lead, reverse("bids:moderation", kwargs=slug)),
            ("Budget", lead, reverse("trusts:budget", kwargs=slug)),
            ("Reports", admin, reverse("trusts:reports")),
        ],
        # Not among the pages the targets name, measured because they too list a lot.
        "extras": [
            ("Programme pipeline (lead's home)", lead, reverse("home")),
            ("Awards list, first page", lead, reverse("trusts:awards")),
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
    return {
        "queries": query_count,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "bytes": len(response.content),
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
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
