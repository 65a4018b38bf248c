"""`make bench`: the performance harness. Writes what it measured to bench/RESULTS.md.

For each data set size (N = 100, 10,000 and 100,000 bids) it recreates its own database
(ctp_bench), migrates, runs `seed_bench --bids N` and times every page in-process
(bench/pages.py). At the largest N it then serves the service with gunicorn (4 workers) and
runs wrk against the ranking page and the bare view (bench/views.py), and times the award
exports (bench/export_one.py): XLSX and 360Giving of that data set's awards, then the CSV
after topping the awards up to 1,000,000, beside PostgreSQL's own COPY of the same rows.

Everything runs in child processes with the environment set here; the bare view is only
reachable through bench.settings, which nothing else uses. Environment knobs, for trying
things out: BENCH_SIZES (default "100,10000,100000"), BENCH_PARTS (default
"pages,load,exports": what runs at the largest N), BENCH_EXPORT_ROWS (default 1000000),
BENCH_WRK_SECONDS (default 30), BENCH_DATABASE (default ctp_bench), BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default redis://127.0.0.1:6379/14).
Any of them set is noted in RESULTS.md.
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import django
import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
ANALYSIS_MARKER = "<!-- Everything below this line is kept when bench/run.py rewrites the file. -->"
PY = sys.executable
VENV_BIN = Path(sys.executable).parent

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# The harness drops and recreates this database at each size: never one that people or the
# tests use.
DATABASE = os.environ.get("BENCH_DATABASE", "ctp_bench")
if DATABASE in ("postgres", "ctp_dev", "ctp_demo", "ctp_ci") or DATABASE.startswith(("test_", "template")):
    raise SystemExit(f"BENCH_DATABASE={DATABASE} is a database the harness must not drop: choose another")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SIZES = sorted(int(size) for size in os.environ.get("BENCH_SIZES", "100,10000,100000").split(","))
LARGEST = SIZES[-1]  # the load test and the exports run on the largest data set
PARTS = set(os.environ.get("BENCH_PARTS", "pages,load,exports").split(","))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "30"))
WRK_CONNECTIONS = 16
WORKERS = 4
CSV_AWARDS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
KNOBS = (
    "BENCH_SIZES",
    "BENCH_PARTS",
    "BENCH_EXPORT_ROWS",
    "BENCH_WRK_SECONDS",
    "BENCH_DATABASE",
    "BENCH_POSTGRES",
    "BENCH_REDIS_URL",
)

TARGET_MEDIAN_MS = 50
TARGET_P95_MS = 150
TARGET_RATIO = 0.5
TARGET_CSV_MB = 150
TARGET_CSV_ROWS_PER_S = 50_000


def say(message):
    print(message, flush=True)


def environment(debug=False):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "DEBUG", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": "ctp-bench",
            "DEBUG": "true" if debug else "false",
            # Production settings, as `make serve` runs them: plain HTTP on 127.0.0.1.
            "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PRIVATE_MEDIA_ROOT": str(OUT / "private"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run(args, debug=False, capture=True):
    started = time.monotonic()
    # stdout is the child's answer; its stderr (progress, errors) goes straight to the terminal.
    done = subprocess.run(
        args,
        cwd=ROOT,
        env=environment(debug),
        check=False,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if done.returncode != 0:
        if capture:
            sys.stderr.write(done.stdout)
        raise SystemExit(f"Failed ({done.returncode}): {' '.join(str(a) for a in args)}")
    return done.stdout if capture else "", time.monotonic() - started


def manage(*args, debug=False):
    return run([PY, "manage.py", *args], debug=debug)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is needed for the load test: apt-get install wrk (as root)")
    say("Installing wrk with apt-get")
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        **quiet,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def recreate_database():
    connection = psycopg2.connect(f"{POSTGRES}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [DATABASE],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    connection.close()
    return version.split(" on ")[0]


def flush_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    client.flushdb()
    return client.info("server")["redis_version"]


def counts():
    script = (
        "import json; from bids.models import *; from trusts.models import *; from accounts.models import User;"
        "from monitoring.models import MonitoringReturn;"
        "print(json.dumps({'rounds': FundingRound.objects.count(), 'bids': Bid.objects.count(),"
        "'assessors': User.objects.filter(role='assessor').count(), 'assessments': Assessment.objects.count(),"
        "'scores': CriterionScore.objects.count(), 'events': BidEvent.objects.count(),"
        "'awards': FundingAward.objects.count(),"
        "'council_bids': Bid.objects.filter(authority__code='KEN').count(),"
        "'returns': MonitoringReturn.objects.count()}))"
    )
    out, _ = manage("shell", "-c", script)
    return json.loads(out.strip().splitlines()[-1])


def newest_round():
    out, _ = manage(
        "shell",
        "-c",
        "from bids.models import FundingRound;"
        "print(FundingRound.objects.filter(slug__startswith='bench-round-').order_by('-opens_at').first().slug)",
    )
    return out.strip().splitlines()[-1]


# Pages ----------------------------------------------------------------------------------


def measure_pages():
    out, _ = run([PY, str(BENCH / "pages.py")])
    return json.loads(out.strip().splitlines()[-1])


# Load ------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    # No redirects followed: a bounce to the sign-in page must not pass for the page.
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrk(url, cookie):
    args = [
        "wrk",
        "-t2",
        f"-c{WRK_CONNECTIONS}",
        f"-d{WRK_SECONDS}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    done = subprocess.run(args, check=True, text=True, capture_output=True)
    return parse_wrk(done.stdout)


def parse_wrk(text):
    def number(pattern, default=0.0):
        found = re.search(pattern, text)
        return float(found.group(1)) if found else default

    def latency(share):
        found = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    requests = int(number(r"(\d+) requests in"))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", text)
    scale = {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30}
    total_bytes = float(read.group(1)) * scale[read.group(2)] if read else 0
    return {
        "requests": requests,
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "not_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "bytes_per_response": total_bytes / requests if requests else 0,
        "raw": text,
    }


def count_errors(result, body_bytes):
    """Socket errors and answers that were not 2xx or 3xx, as wrk counts them. wrk counts a
    redirect as a success, so a run whose answers average much less than the page itself
    (a bounce to the sign-in page is a few hundred bytes) counts every request as an error."""
    if result["bytes_per_response"] < 0.9 * body_bytes:
        return result["requests"]
    return result["socket_errors"] + result["not_2xx_3xx"]


def load_test(round_slug):
    """gunicorn with 4 workers; wrk against the ranking page, then the bare view."""
    cookie, _ = run([PY, str(BENCH / "session.py")])
    cookie = cookie.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not start: see {OUT / 'gunicorn.log'}")
            time.sleep(0.3)
        ranking = f"{base}/programme/rounds/{round_slug}/ranking"
        bare = f"{base}/bench/bare-ranking/{round_slug}"
        results = {}
        for name, url, expected in (("ranking", ranking, "Ranking"), ("bare", bare, "<table>")):
            status, body = fetch(url, cookie)
            if status != 200 or expected not in body:
                raise SystemExit(
                    f"{url} answered {status} without {expected!r}: is the session cookie right?"
                )
            say(f"  wrk {WRK_CONNECTIONS} connections for {WRK_SECONDS} s: {url}")
            result = results[name] = wrk(url, cookie)
            result["errors"] = count_errors(result, len(body.encode()))
            if fetch(url, cookie)[0] != 200:  # still signed in at the end
                result["errors"] = result["requests"]
            say(
                f"    {results[name]['rps']:.1f} requests/s, {results[name]['errors']} errors, "
                f"p50 {results[name]['p50_ms']:.1f} ms, p99 {results[name]['p99_ms']:.1f} ms"
            )
        return results
    finally:
        stop(server)
        log.close()


def stop(server):
    """Stop the gunicorn this harness started (its own process group), and wait for it."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# Exports ----------------------------------------------------------------------------------


def export(fmt, tracemalloc=False):
    args = [PY, str(BENCH / "export_one.py"), fmt, str(OUT / f"awards.{fmt}")]
    if tracemalloc:
        args.append("--tracemalloc")
    out, _ = run(args)
    return json.loads(out.strip().splitlines()[-1])


def postgres_copy():
    """PostgreSQL's own CSV of the same awards (bench/copy_one.py), in a fresh process."""
    out, _ = run([PY, str(BENCH / "copy_one.py"), str(OUT / "awards-copy.csv")])
    (OUT / "awards-copy.csv").unlink(missing_ok=True)
    return json.loads(out.strip().splitlines()[-1])


def exports():
    results = {}
    for fmt in ("xlsx", "360giving"):
        say(f"  {fmt} of the data set's awards")
        results[fmt] = export(fmt)
    say("  csv of the data set's awards under tracemalloc, for the Python heap's peak")
    results["csv_traced"] = export("csv", tracemalloc=True)
    say(f"  topping the awards up to {CSV_AWARDS:,}")
    _, results["top_up_s"] = manage("seed_bench", "--award-rows", str(CSV_AWARDS), debug=True)
    results["top_up_from"] = results["xlsx"]["awards"]
    say(f"  csv of {CSV_AWARDS:,} awards")
    results["csv"] = export("csv")
    say("  PostgreSQL's own COPY of the same rows")
    results["copy"] = postgres_copy()
    for fmt in ("xlsx", "360giving", "csv"):
        (OUT / f"awards.{fmt}").unlink(missing_ok=True)
    return results


# The report -----------------------------------------------------------------------------


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        memory = 0
    return f"{cpu or platform.processor()}, {os.cpu_count()} cores, {memory:.0f} GB memory"


def ms(value):
    return "" if value is None else f"{value:.1f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def page_cause(row):
    """Where a page's time went, from the queries of one warm request: the database's share,
    its slowest query, and the rest (Python: the view, forms and templates)."""
    sql, slowest = row.get("sql_ms"), row.get("slowest_sql")
    if sql is None:
        return ""
    rest = max(0.0, row["median_ms"] - sql)
    cause = (
        f"{row['queries']} queries took {sql:.1f} ms of one warm request, the rest ({rest:.1f} ms) is Python"
    )
    if slowest:
        cause += f"; slowest query {row['slowest_ms']:.1f} ms: `{slowest}`"
    return cause


def pages_by_size(context):
    """{N: {page: row}}, each page named without what varies with N ("last page (14)")."""
    return {
        n: {row["page"].split(" (")[0]: row for row in context["pages"][n]["pages"]} for n in context["sizes"]
    }


def targets(context):
    """[(target, measured, met, cause of a miss)] for every target the issue names."""
    sizes, large = context["sizes"], context["sizes"][-1]
    found = []
    if context["pages"]:
        by_size = pages_by_size(context)
        for key, big in by_size[large].items():
            if big.get("extra"):
                continue
            counts = [by_size[n].get(key, {}).get("queries") for n in sizes]
            flat = len(set(counts)) == 1
            median_ok, p95_ok = big["median_ms"] < TARGET_MEDIAN_MS, big["p95_ms"] < TARGET_P95_MS
            missed = [
                what
                for what, ok in (
                    ("query count grows with N", flat),
                    (f"median over {TARGET_MEDIAN_MS} ms", median_ok),
                    (f"p95 over {TARGET_P95_MS} ms", p95_ok),
                )
                if not ok
            ]
            cause = "; ".join(missed)
            if not (median_ok and p95_ok):
                cause += f": {page_cause(big)}"
            if not flat:
                cause += " (a query per row or per round: look for a list read one row at a time)"
            found.append(
                (
                    f"{big['page']}: the same queries at every N; at N = {large:,} median under "
                    f"{TARGET_MEDIAN_MS} ms, p95 under {TARGET_P95_MS} ms",
                    f"{' / '.join(str(c) for c in counts)} queries; {big['median_ms']:.1f} ms; {big['p95_ms']:.1f} ms",
                    flat and median_ok and p95_ok,
                    cause,
                )
            )
    load = context.get("load")
    if load:
        ranking, bare = load["ranking"], load["bare"]
        ratio = ranking["rps"] / bare["rps"] if bare["rps"] else 0
        in_process = {row["page"]: row for row in context["pages"].get(large, {}).get("pages", [])}
        ranking_ms = in_process.get("Ranking, first page", {}).get("median_ms")
        bare_ms = in_process.get("Bare ranking view (bench only)", {}).get("median_ms")
        cause = ""
        if ranking_ms and bare_ms:
            cause = (
                f"in process the ranking page takes {ranking_ms:.1f} ms against the bare view's "
                f"{bare_ms:.1f} ms ({bare_ms / ranking_ms:.2f}); under load the rest is the signed-in "
                "request's own work (session, user, middleware) and 4 workers, PostgreSQL and wrk sharing 2 cores"
            )
        found.append(
            (
                f"Ranking page at least {TARGET_RATIO} of the bare view's requests per second",
                f"{ratio:.2f} ({ranking['rps']:.1f} / {bare['rps']:.1f})",
                ratio >= TARGET_RATIO,
                cause,
            )
        )
        errors = ranking["errors"] + bare["errors"]
        found.append(("No errors under load", f"{errors}", errors == 0, "see bench/out/gunicorn.log"))
    ex = context.get("exports")
    if ex:
        csv_export, copy = ex["csv"], ex["copy"]
        rate = csv_export["rows"] / csv_export["seconds"] if csv_export["seconds"] else 0
        copy_rate = copy["rows"] / copy["seconds"] if copy["seconds"] else 0
        found.append(
            (
                f"CSV of {csv_export['rows']:,} awards under {TARGET_CSV_MB} MB peak memory",
                f"{csv_export['peak_rss_mb']:.0f} MB",
                csv_export["peak_rss_mb"] < TARGET_CSV_MB,
                f"{csv_export['rss_before_mb']:.0f} MB of it before the first row (Python, Django, psycopg2)",
            )
        )
        found.append(
            (
                f"CSV of {csv_export['rows']:,} awards at least {TARGET_CSV_ROWS_PER_S:,} rows a second",
                f"{rate:,.0f} rows/s",
                rate >= TARGET_CSV_ROWS_PER_S,
                f"PostgreSQL's own COPY of the same rows runs at {copy_rate:,.0f} rows/s; the difference is "
                "the export's Python (reading rows through Django, formatting and writing each cell)",
            )
        )
    return found


def report(context):
    sizes = context["sizes"]
    large = sizes[-1]
    lines = [
        "# Performance results",
        "",
        f"Measured {context['date']} by `make bench` (bench/run.py), which took "
        f"{context['elapsed'] / 60:.1f} minutes end to end.",
        "",
        f"Machine: {context['machine']}. {context['postgres']}, Redis {context['redis']}, Python "
        f"{platform.python_version()}, Django {context['django']}. Load average (1, 5, 15 min) at the start "
        f"{context['load_start']}, at the end {context['load_end']}: other work on the same 2 cores "
        "shows up as noise in every figure.",
    ]
    if context["knobs"]:
        lines += ["", f"Changed from the defaults for this run: {context['knobs']}."]
    lines += [
        "",
        "## Data sets",
        "",
        "| N | rounds | bids | council's bids | assessors | assessments | criterion scores | bid events | awards "
        "| monitoring returns | migrate | seed_bench |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        c = context["data"][n]
        lines.append(
            f"| {n:,} | {c['rounds']} | {c['bids']:,} | {c['council_bids']:,} | {c['assessors']} | "
            f"{c['assessments']:,} | {c['scores']:,} | {c['events']:,} | {c['awards']:,} | {c['returns']:,} | "
            f"{context['migrate_s'][n]:.1f} s | {context['seed_s'][n]:.1f} s |"
        )
    lines += [
        "",
        "(Rounds include the 2003 pilot round the migrations load, which has no bids here. The council's "
        "bids are the bench council's (Kent), whose home page is measured: one bid in every round.)",
    ]
    if context["pages"]:
        header = " | ".join(f"queries N={n:,}" for n in sizes)
        timings = " | ".join(f"median N={n:,} | p95 N={n:,}" for n in sizes)
        lines += [
            "",
            "## Pages",
            "",
            "In process through Django's test client with production settings (DEBUG off, PostgreSQL, "
            "Redis), signed in as the person each page is for: one request to count queries, 5 warm-up "
            "requests, then 30 timed; server time in milliseconds. Pages on one round use the newest "
            f"round ({context['pages'][large]['round_bids']} bids at N = {large:,}); the assessor is the one with "
            f"the most bids assigned ({context['pages'][large]['assessor_bids']:,} at N = {large:,}); the council "
            f"is Kent, with one bid in every round ({context['pages'][large]['council_bids']:,} at N = {large:,}). The last column is the "
            "time the database took in one more warm request, counted query by query.",
            "",
            f"| page | {header} | {timings} | SQL ms N={large:,} |",
            "|---|" + "---:|" * (len(sizes) * 3 + 1),
        ]
        by_size = pages_by_size(context)
        for name, big in by_size[large].items():
            rows = [by_size[n].get(name, {}) for n in sizes]
            queries = " | ".join(str(row.get("queries", "")) for row in rows)
            times = " | ".join(f"{ms(row.get('median_ms'))} | {ms(row.get('p95_ms'))}" for row in rows)
            label = f"{big['page']} (*)" if big.get("extra") else big["page"]
            lines.append(f"| {label} | {queries} | {times} | {ms(big.get('sql_ms'))} |")
        lines += [
            "",
            "(*) Not a page of the service: the bare view the load test compares the ranking page with, "
            "timed the same way.",
        ]
    load = context.get("load")
    if load:
        ranking, bare = load["ranking"], load["bare"]
        ratio = ranking["rps"] / bare["rps"] if bare["rps"] else 0
        lines += [
            "",
            "## Under load",
            "",
            f"N = {large:,}. gunicorn with {WORKERS} sync workers (`config.wsgi`, production settings), "
            f"and wrk with 2 threads and {WRK_CONNECTIONS} connections for {WRK_SECONDS} s on the same machine, "
            "sending the programme lead's session cookie. The bare view (bench/views.py, served only by the "
            "bench URLconf) renders the same 50 rows from one SQL query with a minimal template and no "
            "sign-in. Errors are wrk's socket errors and answers other than 2xx or 3xx; the harness checks "
            "each URL answers 200 with the cookie before and after its run, and that the answers average "
            "the page's size (a redirect to the sign-in page would not).",
            "",
            "| URL | requests | requests/s | errors | latency p50 | latency p99 | bytes per answer |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in (("Ranking page, first page", ranking), ("Bare view", bare)):
            lines.append(
                f"| {name} | {row['requests']:,} | {row['rps']:.1f} | {row['errors']} | "
                f"{ms(row['p50_ms'])} ms | {ms(row['p99_ms'])} ms | {row['bytes_per_response']:,.0f} |"
            )
        lines += ["", f"Ranking page / bare view: **{ratio:.2f}** (target at least {TARGET_RATIO})."]
    ex = context.get("exports")
    if ex:
        csv_export, copy = ex["csv"], ex["copy"]
        rate = csv_export["rows"] / csv_export["seconds"] if csv_export["seconds"] else 0
        copy_rate = copy["rows"] / copy["seconds"] if copy["seconds"] else 0
        lines += [
            "",
            "## Exports",
            "",
            "Built over all rounds by trusts/exports/ (the functions the reports page and its Celery task "
            "call) in a fresh process each (bench/export_one.py). XLSX and 360Giving cover the data set's "
            f"own awards; then `seed_bench --award-rows {CSV_AWARDS}` tops the awards up with archive rounds "
            f"({ex['top_up_s']:.1f} s from {ex['top_up_from']:,}) and the CSV is built of all of them. Peak "
            "memory is the exporting process's peak resident set (getrusage), which includes Python, Django and "
            "the database driver before the first row; the Python heap's peak comes from a CSV run under "
            "tracemalloc (several times slower, so its time is not the export's).",
            "",
            "| export | awards in the database | rows written | time | rows/s | file size | memory before | peak memory | Python heap peak |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, key in (
            ("CSV", "csv"),
            ("CSV under tracemalloc", "csv_traced"),
            ("XLSX", "xlsx"),
            ("360Giving JSON", "360giving"),
        ):
            row = ex[key]
            traced = f"{row['python_peak_mb']:.1f} MB" if row["python_peak_mb"] is not None else ""
            per_second = row["rows"] / row["seconds"] if row["seconds"] else 0
            lines.append(
                f"| {label} | {row['awards']:,} | {row['rows']:,} | {row['seconds']:.1f} s | {per_second:,.0f} | "
                f"{row['bytes'] / 2**20:.1f} MB | {row['rss_before_mb']:.0f} MB | {row['peak_rss_mb']:.0f} MB | {traced} |"
            )
        lines += [
            f"| PostgreSQL `COPY (SELECT ...) TO STDOUT WITH CSV` | {copy['awards']:,} | {copy['rows']:,} | "
            f"{copy['seconds']:.1f} s | {copy_rate:,.0f} | {copy['bytes'] / 2**20:.1f} MB | | | |",
            "",
            f"The CSV export against PostgreSQL's own COPY of the same rows and columns (labels and London dates "
            f"worked out in SQL, through psycopg2's copy_expert to a file, in the harness): "
            f"**{rate / copy_rate if copy_rate else 0:.2f}** of its rows per second "
            f"({copy['seconds']:.1f} s against the export's {csv_export['seconds']:.1f} s). "
            "The 360Giving file publishes only awards that stand (offered, accepted, condition met or paid), "
            "so it has fewer rows than there are awards.",
        ]
    found = targets(context)
    missed = [row for row in found if not row[2]]
    lines += [
        "",
        "## Targets",
        "",
        f"{len(found) - len(missed)} of {len(found)} met in this run."
        if found
        else "Nothing was measured against a target in this run.",
        "",
        "| target | measured | result | cause of a miss |",
        "|---|---|---|---|",
    ]
    for target, measured, met, cause in found:
        lines.append(f"| {target} | {measured} | {verdict(met)} | {'' if met else cause} |")
    if missed:
        lines += ["", f"Missed ({len(missed)}):", ""]
        lines += [f"- {target}: {measured}. {cause}" for target, measured, _, cause in missed]
    generated = "\n".join(lines) + "\n"
    kept = ""
    if RESULTS.exists() and ANALYSIS_MARKER in RESULTS.read_text():
        kept = RESULTS.read_text().split(ANALYSIS_MARKER, 1)[1]
    RESULTS.write_text(generated + "\n" + ANALYSIS_MARKER + (kept or "\n"))


def main():
    started = time.monotonic()
    OUT.mkdir(exist_ok=True)
    knobs = ", ".join(f"{name}={os.environ[name]}" for name in KNOBS if name in os.environ)
    context = {
        "date": datetime.now().astimezone().strftime("%-d %B %Y at %H:%M %Z"),
        "machine": machine(),
        "load_start": ", ".join(f"{value:.2f}" for value in os.getloadavg()),
        "knobs": knobs,
        "sizes": SIZES,
        "data": {},
        "pages": {},
        "migrate_s": {},
        "seed_s": {},
    }
    if "load" in PARTS:
        ensure_wrk()
    context["redis"] = flush_redis()

    context["django"] = django.get_version()
    say("Collecting static files (production settings serve them from the manifest)")
    manage("collectstatic", "--noinput", "-v0")
    for n in SIZES:
        say(f"N = {n:,}: recreating {DATABASE}, migrating, seeding")
        context["postgres"] = recreate_database()
        flush_redis()
        _, context["migrate_s"][n] = manage("migrate", "--noinput", "-v0")
        _, context["seed_s"][n] = manage("seed_bench", "--bids", str(n), debug=True)
        context["data"][n] = counts()
        say(f"  seeded in {context['seed_s'][n]:.1f} s: {context['data'][n]}")
        if "pages" in PARTS:
            say("  timing pages in process")
            context["pages"][n] = measure_pages()
        if n == LARGEST and "load" in PARTS:
            say("  load test")
            context["load"] = load_test(newest_round())
        if n == LARGEST and "exports" in PARTS:
            say("  exports")
            context["exports"] = exports()
    context["load_end"] = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    context["elapsed"] = time.monotonic() - started
    report(context)
    say(RESULTS.read_text().split(ANALYSIS_MARKER)[0])
    say(f"Written to {RESULTS.relative_to(ROOT)} in {context['elapsed'] / 60:.1f} minutes")


if __name__ == "__main__":
    main()
