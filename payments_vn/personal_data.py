"""The bank transfers' share of a customer's erasure (``marketplace.erasure``): a
transfer's memo is what the payer typed, usually their name beside the order's code.
The memo goes; the amount, the bank's transaction id, the date and the order reference
(``reference``, read from the memo when it came in) stay: they are the books."""

from __future__ import annotations

from marketplace.erasure import Cleaned, Scope
from payments_vn.models import BankTransaction


def erase_bank_memos(scope: Scope) -> Cleaned:
    transfers = BankTransaction.objects.filter(payment__order_id__in=scope.order_ids)
    ids = tuple(transfers.values_list("pk", flat=True))
    count = BankTransaction.objects.filter(pk__in=ids).update(description="")
    return Cleaned(count, BankTransaction, ids, ("description",))
