"""The settlement ledger is append-only, enforced by PostgreSQL: no DELETE, and the only
UPDATE allowed sets payout_batch once (an unpaid entry becomes paid, never the reverse,
never twice). Corrections are reversing entries."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION marketplace_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger entries cannot be deleted (entry %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.payout_batch_id IS NULL AND NEW.payout_batch_id IS NOT NULL
       AND (to_jsonb(NEW) - 'payout_batch_id') = (to_jsonb(OLD) - 'payout_batch_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ledger entries are immutable (entry %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marketplace_ledger_append_only
    BEFORE UPDATE OR DELETE ON marketplace_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS marketplace_ledger_append_only ON marketplace_ledgerentry;
DROP FUNCTION IF EXISTS marketplace_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_cooperative_orders")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
