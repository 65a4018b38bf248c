from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Connects the sign-in receiver that records what the session needs.
        from . import signals  # noqa: F401, PLC0415  (Django's documented place to connect signals)
