from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seeder import DemoSeeder


class Command(BaseCommand):
    help = "Load demo users, the 2003 pilot round's bids and an open second round. Safe to run twice."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("Demo data is never loaded under production settings (set DEBUG=true).")
        DemoSeeder(stdout=self.stdout).run()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in with any demo account; see README.md.")
        )
