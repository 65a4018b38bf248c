from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The performance harness's `seed_bench` command. Installed only in development and tests."""

    name = "bench"
    verbose_name = "Performance harness (development only)"
