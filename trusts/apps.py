from django.apps import AppConfig


class TrustsConfig(AppConfig):
    name = "trusts"
    verbose_name = "Local authorities and trusts"
