-- Withdrawals: money leaving the system through the payout provider.
-- The payer is debited into the per-currency PAYOUT system account at accept; the provider's
-- answer moves it on to WORLD (paid out) or back to the payer (refused).

-- A fourth kind of system account. Like WORLD and TRANSIT it keeps no running balance.
ALTER TABLE account DROP CONSTRAINT account_kind_check;
ALTER TABLE account ADD CONSTRAINT account_kind_check
    CHECK (kind IN ('CUSTOMER', 'WORLD', 'TRANSIT', 'PAYOUT'));

-- The destination IBAN is stored only encrypted (AES-256-GCM: 12-byte nonce || ciphertext+tag,
-- bound to the withdrawal id as associated data) plus a masked form for display.
CREATE TABLE withdrawal (
    id                     uuid        PRIMARY KEY,
    account_id             uuid        NOT NULL REFERENCES account (id),
    amount                 bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
    currency               char(3)     NOT NULL,
    destination_ciphertext bytea       NOT NULL,
    destination_masked     text        NOT NULL,
    status                 text        NOT NULL
                           CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
    failure_reason         text,
    external_reference     text,
    -- provider calls started for this withdrawal; > 0 means the provider may know it
    attempts               int         NOT NULL DEFAULT 0,
    created_by             uuid        NOT NULL REFERENCES app_user (id),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CONSTRAINT withdrawal_failed_has_reason
        CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
    CONSTRAINT withdrawal_completed_has_reference
        CHECK ((status = 'COMPLETED') = (external_reference IS NOT NULL))
);
CREATE INDEX withdrawal_account_idx ON withdrawal (account_id, created_at);
-- The recovery sweeper looks only at withdrawals still in flight, oldest touch first.
CREATE INDEX withdrawal_in_flight_idx ON withdrawal (updated_at)
    WHERE status IN ('PENDING', 'PROCESSING');

-- The transition table of WithdrawalStatus, enforced by the database too. PROCESSING may be
-- "updated" to PROCESSING: a recovery attempt claims the row by touching updated_at.
CREATE FUNCTION withdrawal_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('COMPLETED', 'FAILED')
       OR (OLD.status = 'PENDING' AND NEW.status NOT IN ('PENDING', 'PROCESSING', 'FAILED'))
       OR (OLD.status = 'PROCESSING' AND NEW.status = 'PENDING') THEN
        RAISE EXCEPTION 'withdrawal % cannot go from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER withdrawal_status_transition
    BEFORE UPDATE ON withdrawal FOR EACH ROW EXECUTE FUNCTION withdrawal_status_transition();
