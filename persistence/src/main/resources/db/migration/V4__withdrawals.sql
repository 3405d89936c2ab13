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

-- Webhooks (the same issue as withdrawals, hence the same migration): endpoints a customer
-- registers, and one delivery row per (endpoint, event), retried until delivered or past its
-- horizon, then dead-lettered for operators. The signing secret is stored sealed (AES-GCM).
CREATE TABLE webhook_endpoint (
    id            uuid        PRIMARY KEY,
    owner_id      uuid        NOT NULL REFERENCES app_user (id),
    url           text        NOT NULL,
    events        text[]      NOT NULL,
    secret_sealed bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    deleted_at    timestamptz
);
CREATE INDEX webhook_endpoint_owner_idx ON webhook_endpoint (owner_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_delivery (
    id              uuid        PRIMARY KEY,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoint (id),
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    -- retries stop here and the delivery is dead-lettered
    horizon_at      timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_dead_idx ON webhook_delivery (finished_at) WHERE status = 'DEAD';

-- Messages the consumers dead-lettered to Kafka, copied here so that operators can list and
-- replay them through the API. One row per dead-letter topic position.
CREATE TABLE dead_letter (
    id          uuid        PRIMARY KEY,
    dlt_position text       NOT NULL UNIQUE,
    source      text,
    consumer    text,
    error       text,
    message_key text,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL,
    replayed_at timestamptz
);
