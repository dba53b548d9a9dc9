from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront_config"
    verbose_name = "OCOP storefront"
