from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    # The label the app was first installed under (kept: no migration has to move).
    label = "portal"
    verbose_name = "Khu quản trị / Back office"

    def ready(self) -> None:
        # Before auditlog's own ready() (it is installed after this app) registers the
        # audited models with these receivers.
        from backoffice.audit import guard_copies

        guard_copies()
