"""Time PostgreSQL's own CSV of the awards the CSV export writes: `COPY (SELECT ...) TO STDOUT
WITH CSV HEADER` through psycopg2's copy_expert into a file. The same rows and columns in the
same order as trusts/exports/awards_table.py, the labels and London dates worked out in SQL:
what the database alone takes to read and write them, the floor for the export. Prints one
JSON object. Run by bench/run.py, which sets the environment."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bids.models import Bid, FundingRound  # noqa: E402
from reference.models import LocalAuthority, Region  # noqa: E402
from trusts.enums import AwardState, InstalmentState  # noqa: E402
from trusts.models import FundingAward, Instalment  # noqa: E402

LONDON = "AT TIME ZONE 'Europe/London'"


def labels(column, choices):
    """A SQL CASE giving each stored choice its label, as the CSV writes it."""
    whens = " ".join(
        f"WHEN '{value}' THEN '{label.replace(chr(39), chr(39) * 2)}'" for value, label in choices
    )
    return f"CASE {column} {whens} END"


def awards_sql():
    award, bid, authority = FundingAward._meta.db_table, Bid._meta.db_table, LocalAuthority._meta.db_table
    funding_round, instalment = FundingRound._meta.db_table, Instalment._meta.db_table
    return f"""
        SELECT b.reference AS "Reference", a.name AS "Local authority",
               {labels("a.region", Region.choices)} AS "Region", a.gss_code AS "GSS code",
               r.name AS "Round", {labels("w.state", AwardState.choices)} AS "Status",
               w.base_amount AS "Base award (£)", w.supplement_amount AS "Supplement (£)",
               w.total AS "Total award (£)", (w.offered_at {LONDON})::date AS "Offered on",
               CASE WHEN w.state <> '{AwardState.DECLINED}' THEN (w.responded_at {LONDON})::date END
                   AS "Accepted on",
               COALESCE(p.paid, 0.00) AS "Amount paid (£)", p.last_paid_on AS "Last paid on",
               w.ggis_reference AS "GGIS grant reference"
        FROM {award} w
        JOIN {bid} b ON b.id = w.bid_id
        JOIN {authority} a ON a.id = b.authority_id
        JOIN {funding_round} r ON r.id = b.funding_round_id
        LEFT JOIN (
            SELECT award_id, SUM(amount) AS paid, MAX(paid_on) AS last_paid_on
            FROM {instalment} WHERE state = '{InstalmentState.PAID}' GROUP BY award_id
        ) p ON p.award_id = w.id
        ORDER BY r.opens_at DESC, a.name, w.id
    """  # nosec B608: table names and labels are the code's own


def main():
    target = Path(sys.argv[1])
    awards = FundingAward.objects.count()  # connects first, so the timing is the COPY's alone
    with connection.cursor() as cursor, open(target, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        cursor.copy_expert(f"COPY ({awards_sql()}) TO STDOUT WITH CSV HEADER", out)
        seconds = time.perf_counter() - started
    with open(target, encoding="utf-8") as written:
        rows = sum(1 for _ in written) - 1
    print(
        json.dumps(
            {"awards": awards, "rows": rows, "seconds": round(seconds, 2), "bytes": target.stat().st_size}
        )
    )


if __name__ == "__main__":
    main()
