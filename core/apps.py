from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed for its template library (`{% load service %}`) and templates; it has no models."""

    name = "core"
    verbose_name = "Shared bases"
