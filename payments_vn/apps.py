from django.apps import AppConfig


class PaymentsVNConfig(AppConfig):
    name = "payments_vn"
    verbose_name = "Vietnamese payments (bank transfer)"

    def ready(self) -> None:
        # This app's personal data, for a customer's erasure (marketplace.erasure).
        from marketplace import erasure
        from payments_vn.personal_data import erase_bank_memos

        erasure.register_holder("bank_memos", erase_bank_memos)
