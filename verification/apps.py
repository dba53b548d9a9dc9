from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Xác minh sản phẩm OCOP / OCOP product verification"

    def ready(self) -> None:
        # This app's personal data, for a customer's erasure (marketplace.erasure).
        from marketplace import erasure
        from verification.personal_data import erase_report_contacts

        erasure.register_holder("report_contacts", erase_report_contacts)
