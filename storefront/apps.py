from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    # The label the app's migrations and tables were created under.
    label = "storefront_config"
    verbose_name = "OCOP storefront"
