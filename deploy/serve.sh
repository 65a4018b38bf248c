#!/usr/bin/env bash
# The production shape on one machine (make serve): nginx in front, buffering every request,
# gunicorn behind it on loopback (PORT + 1, or UPSTREAM_PORT), and (unless SERVE_WORKERS=no) a Celery worker and beat.
# Needs DATABASE_URL, REDIS_URL and SECRET_KEY; PORT (8000) and WORKERS (4) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
WORKERS="${WORKERS:-4}"
VENV="${VENV:-.venv}"
STATE="${SERVE_STATE:-var/serve-$PORT}"
mkdir -p "$STATE"
PREFIX="$(cd "$STATE" && pwd)"
# gunicorn listens on loopback only, behind nginx. nginx's workers run as the user running
# this script (started as root they would otherwise be `nobody`, unable to reach the error
# pages or write large bodies under a private checkout).
UPSTREAM="127.0.0.1:${UPSTREAM_PORT:-$((PORT + 1))}"
# Requests reach gunicorn through one proxy: the lockout and the throttles read the
# client's address from X-Forwarded-For, which nginx sets.
export AXES_IPWARE_PROXY_COUNT="${AXES_IPWARE_PROXY_COUNT:-1}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
MAX_BODY_BYTES="$("$VENV/bin/python" -c 'import os; print(int(os.environ.get("REQUEST_MAX_BYTES", 11 * 1024 * 1024)))')"

sed -e "s#@USER@#$(id -un)#g" -e "s#@PORT@#$PORT#g" -e "s#@UPSTREAM@#$UPSTREAM#g" -e "s#@PREFIX@#$PREFIX#g" \
    -e "s#@MAX_BODY@#$MAX_BODY_BYTES#g" -e "s#@PAGES@#$(pwd)/templates#g" \
    deploy/nginx.conf > "$PREFIX/nginx.conf"

trap 'kill 0' EXIT INT TERM
if [ "${SERVE_WORKERS:-yes}" != "no" ]; then
  "$VENV/bin/celery" -A config worker --loglevel=INFO --concurrency=2 &
  "$VENV/bin/celery" -A config beat --loglevel=INFO --schedule "$PREFIX/celerybeat-schedule" &
fi
"$VENV/bin/gunicorn" config.wsgi --bind "$UPSTREAM" --workers "$WORKERS" --access-logfile - &
nginx -c "$PREFIX/nginx.conf" -p "$PREFIX" &
wait
