"""The bare view the load test compares the ranking page with.

It renders the ranking page's first 50 rows (default sort: effective score, highest
first, then authority name) from one plain SQL query and a small template, with no
sign-in, permissions, filters form, pagination or page layout: about the least Django
can do to show those rows. Served only through bench/urls.py.
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines

from bids.models import Assessment, Bid, BidState, CriterionScore, FundingRound, Moderation
from reference.models import LocalAuthority

ROWS = 50

SQL = f"""
SELECT b.reference, b.state, b.focus, a.name, a.kind, a.region,
       r.base_award + b.supplement_requested AS requested,
       COALESCE(m.score, c.mean_score) AS score,
       m.score IS NOT NULL AS moderated,
       EXISTS (
           SELECT 1
           FROM {CriterionScore._meta.db_table} s
           JOIN {Assessment._meta.db_table} x ON x.id = s.assessment_id
           WHERE x.bid_id = b.id AND x.state = 'submitted' AND NOT x.set_aside AND s.score IS NOT NULL
           GROUP BY s.criterion_id
           HAVING MAX(s.score) - MIN(s.score) >= 2
       ) AS flagged
FROM {Bid._meta.db_table} b
JOIN {FundingRound._meta.db_table} r ON r.id = b.funding_round_id
JOIN {LocalAuthority._meta.db_table} a ON a.id = b.authority_id
LEFT JOIN {Moderation._meta.db_table} m ON m.bid_id = b.id
LEFT JOIN LATERAL (
    SELECT AVG(x.weighted_total) AS mean_score
    FROM {Assessment._meta.db_table} x
    WHERE x.bid_id = b.id AND x.state = 'submitted' AND NOT x.set_aside
) c ON true
WHERE r.slug = %s AND b.state <> 'draft'
ORDER BY score DESC NULLS LAST, a.name, b.id
LIMIT {ROWS}
"""

TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ranking</title></head><body>
<table>
<thead><tr><th>Rank</th><th>Authority</th><th>Status</th><th>Region and focus</th><th>Requested</th><th>Score</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ forloop.counter }}</td><td><a href="/bids/{{ row.reference }}">{{ row.name }}</a><br>{{ row.reference }}, {{ row.kind }}</td><td>{{ row.state }}</td><td>{{ row.region }}<br>{{ row.focus }}</td><td>£{{ row.requested|floatformat:0 }}</td><td>{% if row.score is None %}Not scored{% else %}{{ row.score|floatformat:1 }}%{% endif %}{% if row.moderated %} moderated{% endif %}{% if row.flagged %} Flagged{% endif %}</td></tr>
{% endfor %}</tbody></table>
</body></html>"""
)

STATE_LABELS = dict(BidState.choices)


def bare_ranking(request, round_slug):
    with connection.cursor() as cursor:
        cursor.execute(SQL, [round_slug])
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    if not rows:
        raise Http404("No such round, or no bids in it")
    for row in rows:
        row["state"] = STATE_LABELS.get(row["state"], row["state"])
    return HttpResponse(TEMPLATE.render({"rows": rows}))
