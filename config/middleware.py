"""Submitted text, made safe to store and to show back, in one place for every form.

Control characters arrive in form fields from pasted text (Word's line break is a
vertical tab) or from someone probing the service; nobody types them on purpose.
PostgreSQL refuses NUL in text, XML (and so Excel and OpenDocument files) refuses the
rest of the C0 range, and none of them shows up on a page. Rather than ask people to
remove characters they cannot see, they are taken out of every submitted value (and
field name) before any form reads it: vertical tabs and form feeds become line breaks,
the others go. Tabs, line feeds and carriage returns are ordinary typing and stay.
Uploaded files are not touched: their names are cleaned by bids.documents.clean_name.

An address with a control character in it (a bid reference of "%00") is none of ours:
it is a page not found, before any view looks the reference up in the database.
"""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string

from .pages import OUTAGES, service_unavailable

logger = logging.getLogger(__name__)

LINE_BREAKS = {0x0B: "\n", 0x0C: "\n"}
CONTROL_CHARACTERS = {
    **dict.fromkeys(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)),
    **LINE_BREAKS,
}
_CONTROL = frozenset(chr(code) for code in CONTROL_CHARACTERS)


def has_control_characters(text):
    return not _CONTROL.isdisjoint(text)


def without_control_characters(text):
    return text.translate(CONTROL_CHARACTERS)


def _cleaned(query):
    if not any(
        has_control_characters(key) or any(has_control_characters(value) for value in values)
        for key, values in query.lists()
    ):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(
            without_control_characters(key), [without_control_characters(value) for value in values]
        )
    cleaned._mutable = False
    return cleaned


class SubmittedTextMiddleware:
    """Takes control characters out of the query string and the POST body's fields, and
    answers 404 for an address that contains them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path_info):
            raise Http404("No page has control characters in its address")
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


class BodySizeMiddleware:
    """Refuses a request body larger than REQUEST_MAX_BYTES with 413, before anything reads
    it: the largest thing anyone sends is one 10MB document. (Behind the proxy, nginx refuses
    it first; this holds wherever the service runs.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return HttpResponse(render_to_string("errors/400.html"), status=400)
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(render_to_string("errors/413.html"), status=413)
        return self.get_response(request)


class OutageMiddleware:
    """A GOV.UK "service unavailable" page (503) when the database or Redis is down, instead
    of a 500 (or the server's bare error when the 500 page itself needs the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGES):
            logger.error("Service unavailable: %s: %s", type(exception).__name__, exception)
            return service_unavailable(request)
        return None
