from django.apps import AppConfig


class BidsConfig(AppConfig):
    name = "bids"
    verbose_name = "Funding rounds and bids"

    def ready(self):
        # A person's History list (accounts) shows their conflict-of-interest declarations;
        # accounts sits below bids, so bids adds them when the apps are loaded.
        from accounts.queries import PERSON_HISTORY  # noqa: PLC0415  (models must be loaded first)

        from .conflicts import history_of  # noqa: PLC0415  (models must be loaded first)

        PERSON_HISTORY.append(history_of)
