-- Holds (issue 23): money reserved on a payer's account for a payee, then captured into a
-- transfer, voided, or expired. A hold moves no money and writes no journal: the account's
-- balance stays, and `held` (the sum of its HELD holds) is what no debit may spend. The ledger
-- check reconciles `held` with the holds (api/ops/LedgerAudit.java).
--
-- held <= balance is the database's own guard: whatever the code does, a debit that would spend
-- held money fails this check. A system account keeps no balance, so it holds nothing either.
ALTER TABLE account ADD COLUMN held bigint NOT NULL DEFAULT 0
    CONSTRAINT account_held_within_balance CHECK (held >= 0 AND held <= balance);

CREATE TABLE hold (
    id              uuid        PRIMARY KEY,
    from_account_id uuid        NOT NULL REFERENCES account (id),
    to_account_id   uuid        NOT NULL REFERENCES account (id),
    amount          bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
    currency        char(3)     NOT NULL,
    description     text,
    metadata        jsonb       NOT NULL DEFAULT '{}'
        CONSTRAINT hold_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object'),
    status          text        NOT NULL
        CHECK (status IN ('HELD', 'CAPTURED', 'VOIDED', 'EXPIRED')),
    captured_amount bigint,
    transfer_id     uuid        UNIQUE REFERENCES transfer (id),
    expires_at      timestamptz NOT NULL,
    -- who placed it: a capture's transfer is made on their authority
    created_by      uuid        NOT NULL REFERENCES app_user (id),
    created_by_ops  boolean     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- when it stopped reserving money: null while HELD. A capture's is its transfer's journal
    -- stamp, so the balance and the held amount as of any instant move together.
    released_at     timestamptz,
    CONSTRAINT hold_between_two_accounts CHECK (from_account_id <> to_account_id),
    CONSTRAINT hold_released_unless_held CHECK ((status = 'HELD') = (released_at IS NULL)),
    CONSTRAINT hold_captured_has_transfer
        CHECK ((status = 'CAPTURED') = (transfer_id IS NOT NULL)
               AND (status = 'CAPTURED') = (captured_amount IS NOT NULL)),
    CONSTRAINT hold_capture_within_amount
        CHECK (captured_amount IS NULL OR captured_amount BETWEEN 1 AND amount)
);
CREATE INDEX hold_from_idx ON hold (from_account_id, id);
CREATE INDEX hold_to_idx ON hold (to_account_id, id);
-- The expiry sweep's queue: only the holds still HELD, soonest first.
CREATE INDEX hold_due_idx ON hold (expires_at) WHERE status = 'HELD';
CREATE INDEX hold_metadata_idx ON hold USING gin (metadata jsonb_path_ops)
    WHERE metadata <> '{}';

-- HELD -> CAPTURED | VOIDED | EXPIRED, final once left; what was held never changes.
CREATE FUNCTION hold_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'HELD' THEN
        RAISE EXCEPTION 'hold % is % and final', OLD.id, OLD.status;
    END IF;
    IF NEW.from_account_id <> OLD.from_account_id OR NEW.to_account_id <> OLD.to_account_id
       OR NEW.amount <> OLD.amount OR NEW.currency <> OLD.currency
       OR NEW.expires_at <> OLD.expires_at OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'hold % cannot change what it holds', OLD.id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER hold_status_transition
    BEFORE UPDATE ON hold FOR EACH ROW EXECUTE FUNCTION hold_status_transition();
CREATE TRIGGER hold_is_not_deleted
    BEFORE DELETE ON hold FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
