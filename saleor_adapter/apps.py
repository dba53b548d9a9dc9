from django.apps import AppConfig


class SaleorAdapterConfig(AppConfig):
    """The Saleor 2.10 adapter: plugins, GraphQL, payment gateways, e-mail templates,
    and the implementations of the domain's ports (``marketplace.ports``)."""

    name = "saleor_adapter"
    verbose_name = "Saleor 2.10 adapter"

    def ready(self) -> None:
        from saleor_adapter.ports import register_all

        register_all()
