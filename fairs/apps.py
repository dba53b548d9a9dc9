from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = "Hội chợ OCOP / Province trade fairs"
