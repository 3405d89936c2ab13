-- Refunds of completed transfers (issue 23): a refund is a transfer back from the payee to the
-- payer, naming the transfer it refunds. The API checks the rules below under a lock of the
-- refunded transfer's row and answers a refusal with its code; this trigger checks them again in
-- the database, under the same lock, so that no code path can refund more than was paid.
ALTER TABLE transfer ADD COLUMN refund_of uuid REFERENCES transfer (id)
    CONSTRAINT transfer_refund_is_not_itself CHECK (refund_of <> id);
CREATE INDEX transfer_refund_of_idx ON transfer (refund_of) WHERE refund_of IS NOT NULL;

CREATE FUNCTION transfer_refund_within_original() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    original transfer%ROWTYPE;
    refunded bigint;
BEGIN
    SELECT * INTO original FROM transfer WHERE id = NEW.refund_of FOR UPDATE;
    IF original.status <> 'COMPLETED' OR original.refund_of IS NOT NULL THEN
        RAISE EXCEPTION 'transfer % is % % and cannot be refunded', original.id, original.status,
            CASE WHEN original.refund_of IS NULL THEN '' ELSE '(a refund)' END;
    END IF;
    IF NEW.from_account_id <> original.to_account_id
       OR NEW.to_account_id <> original.from_account_id
       OR NEW.currency <> original.currency THEN
        RAISE EXCEPTION 'refund % does not reverse transfer %', NEW.id, original.id;
    END IF;
    -- A FAILED refund returned its money to the payee, so it no longer counts.
    SELECT COALESCE(sum(amount), 0) INTO refunded
      FROM transfer WHERE refund_of = original.id AND status <> 'FAILED';
    IF refunded + NEW.amount > original.amount THEN
        RAISE EXCEPTION 'refunds of transfer % would reach % of its %', original.id,
            refunded + NEW.amount, original.amount;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER transfer_refund_within_original
    BEFORE INSERT ON transfer FOR EACH ROW WHEN (NEW.refund_of IS NOT NULL)
    EXECUTE FUNCTION transfer_refund_within_original();
