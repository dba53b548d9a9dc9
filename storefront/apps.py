from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    # The label the app's migrations and tables were created under.
    label = "storefront_config"
    verbose_name = "OCOP storefront"

    def ready(self) -> None:
        from marketplace import search_outbox
        from storefront.tasks import schedule_indexing

        # After each commit that marked products for search: index them (a Celery task).
        search_outbox.on_marked(schedule_indexing)
