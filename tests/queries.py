"""How many database queries a page costs: the one helper every query-count test uses.

A list page's test asserts the count as a literal at one item and the same literal again
after more items are added (`assert queries_for(client, url) == 7`), so a page that grows a
query per row fails, and so does a page that quietly grows a query for everyone.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url):
    """The number of queries a GET of `url` makes, once per-process and per-test caches are
    warm (the first request of a test may fill them, and whether it does depends on which
    tests ran before it in the same process). The page must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)
