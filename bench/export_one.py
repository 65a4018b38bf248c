"""Build one award export over all rounds with trusts/exports/formats.py and report its time and
memory: peak resident memory of this process (getrusage), and with --tracemalloc the
peak of Python allocations during the build. Prints one JSON object. Run by bench/run.py.

"cpu_seconds" is what this process itself spent; the rest of "seconds" is waiting, for
PostgreSQL to run the query, or for the cores other work shares."""

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from trusts.exports import formats  # noqa: E402
from trusts.models import FundingAward  # noqa: E402


def resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("fmt")
    parser.add_argument("output")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    awards = FundingAward.objects.count()  # connects, so the baseline includes the connection
    connection.ensure_connection()
    before = resident_mb()
    if args.tracemalloc:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    with open(args.output, "wb") as out:
        rows = formats.build(args.fmt, None, out)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    print(
        json.dumps(
            {
                "format": args.fmt,
                "awards": awards,
                "rows": rows,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "bytes": Path(args.output).stat().st_size,
                "rss_before_mb": round(before, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "python_peak_mb": None if python_peak is None else round(python_peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
