from django.apps import AppConfig


class ServiceConfig(AppConfig):
    """Service-wide glue: the health check, template helpers and static pages."""

    name = "config"
    label = "service"
    verbose_name = "Service"
