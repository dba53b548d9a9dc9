from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    # The label the app was first installed under (kept: no migration has to move).
    label = "portal"
    verbose_name = "Khu quản trị / Back office"
