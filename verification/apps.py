from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Xác minh sản phẩm OCOP / OCOP product verification"
