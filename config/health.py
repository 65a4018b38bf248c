"""/healthz: is every service this instance is configured to use answering?"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def _timed(name, check):
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:  # a health check reports failures, it does not raise them
        # The driver's words (host names, ports, user names) go to the log, not to the caller.
        logger.warning("Health check: %s is down: %s: %s", name, type(error).__name__, error)
        return {"ok": False, "error": "not answering"}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    key = "healthz:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("value written to the cache could not be read back")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_broker():
    if not settings.REDIS_URL:
        return "none configured: tasks run in the web process"

    with Connection(settings.REDIS_URL, connect_timeout=2) as connection:
        connection.connect()
    return "redis"


@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": _timed("database", check_database),
        "cache": _timed("cache", check_cache),
        "broker": _timed("broker", check_broker),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
