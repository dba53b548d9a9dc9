from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    # The label the app's migrations and tables were created under.
    label = "storefront_config"
    verbose_name = "OCOP storefront"

    def ready(self) -> None:
        from marketplace import search_outbox
        from storefront import search_text
        from storefront.tasks import schedule_indexing

        # In the transaction of each change that marks products: PostgreSQL's folded text.
        search_outbox.on_marking(search_text.refresh)
        # After each commit that marked products for search: index them (a Celery task).
        search_outbox.on_marked(schedule_indexing)
