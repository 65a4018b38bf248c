import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

CHUNK = 64 * 1024


def read_what_is_left(environ):
    """Read the rest of a request body the service answered without reading (a form refused
    for its missing CSRF token, say). gunicorn closes the connection after each answer, and
    closing a socket with unread bytes makes the kernel reset it: nginx, still sending the
    body, then loses the answer and shows the 503 page instead. Django's own development
    server reads the rest for the same reason. Bodies over the service's cap are left: the
    answer to those is already a refusal."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if not 0 < length <= settings.REQUEST_MAX_BYTES:
        return
    body = environ["wsgi.input"]
    while length > 0:
        chunk = body.read(min(CHUNK, length))
        if not chunk:
            return
        length -= len(chunk)


def application(environ, start_response):
    response = django_application(environ, start_response)
    read_what_is_left(environ)
    return response
