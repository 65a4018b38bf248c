"""python manage.py export_awards --format csv --output awards.csv [--round SLUG]"""

from django.core.management.base import BaseCommand, CommandError

from bids.models import FundingRound
from trusts.enums import ExportFormat
from trusts.exports import formats


class Command(BaseCommand):
    help = "Export the awards (or the programme summary) with the same builders as the reports page."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=ExportFormat.values, dest="fmt")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--round", dest="round_slug", help="A round's slug; all rounds when left out.")

    def handle(self, *args, fmt, output, round_slug=None, **options):
        funding_round = None
        if round_slug:
            funding_round = FundingRound.objects.filter(slug=round_slug).first()
            if funding_round is None:
                known = ", ".join(FundingRound.objects.order_by("-opens_at").values_list("slug", flat=True))
                raise CommandError(f"There is no round called {round_slug!r}. Rounds: {known}")
        try:
            with open(output, "wb") as out:
                written = formats.build(fmt, funding_round, out)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        scope = funding_round.name if funding_round else "all rounds"
        self.stdout.write(
            f"{ExportFormat(fmt).label} for {scope}: {written} award{'s' if written != 1 else ''} written to {output}"
        )
