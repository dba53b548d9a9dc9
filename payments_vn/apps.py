from django.apps import AppConfig


class PaymentsVNConfig(AppConfig):
    name = "payments_vn"
    verbose_name = "Vietnamese payments (bank transfer)"
