"""python manage.py seed_bench --bids 10000 [--award-rows 100000]"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.data import AlreadySeeded, BenchSeeder, analyse, top_up_awards


class Command(BaseCommand):
    help = (
        "Build the performance harness's data set (bench/): N bids over as many rounds as one bid "
        "per authority per round needs, with assessors, scores, awards and history. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bids", type=int, help="How many bids to create, in a database without bench data."
        )
        parser.add_argument(
            "--award-rows",
            type=int,
            help="Then add archive rounds of approved bids until there are this many awards (for export timings).",
        )

    def handle(self, *args, bids=None, award_rows=None, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("Bench data is never loaded under production settings (set DEBUG=true).")
        if bids is None and award_rows is None:
            raise CommandError("Give --bids N, --award-rows N or both.")
        if bids is not None and bids < 1:
            raise CommandError("--bids must be at least 1.")
        started = time.monotonic()
        try:
            if bids is not None:
                BenchSeeder(bids, stdout=self.stdout).run()
            if award_rows is not None:
                top_up_awards(award_rows, stdout=self.stdout)
        except AlreadySeeded as error:
            raise CommandError(str(error)) from error
        analyse()
        self.stdout.write(self.style.SUCCESS(f"Bench data ready in {time.monotonic() - started:.1f} s"))
