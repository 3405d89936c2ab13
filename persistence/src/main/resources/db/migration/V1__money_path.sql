-- Paystream core schema: users, accounts, the append-only double-entry ledger, transfers,
-- deposits, idempotency records, the transactional outbox and the consumer inbox.
-- Amounts are bigint counts of the currency's minor units; never numeric, never float.

CREATE TABLE app_user (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    name          text        NOT NULL,
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL,
    created_at    timestamptz NOT NULL,
    CONSTRAINT app_user_email_normalised CHECK (email = lower(email))
);
CREATE UNIQUE INDEX app_user_email_uq ON app_user (email);

-- CUSTOMER accounts carry a running balance that can never go negative. The per-currency system
-- accounts WORLD (source of deposits) and TRANSIT (money between a debit and its credit) keep no
-- running balance: their balance is the sum of their entries. A running balance there would put
-- every transfer of a currency behind one row lock.
CREATE TABLE account (
    id         uuid        PRIMARY KEY,
    owner_id   uuid        REFERENCES app_user (id),
    kind       text        NOT NULL CHECK (kind IN ('CUSTOMER', 'WORLD', 'TRANSIT')),
    currency   char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    balance    bigint      NOT NULL DEFAULT 0,
    status     text        NOT NULL CHECK (status IN ('ACTIVE', 'FROZEN', 'CLOSED')),
    created_at timestamptz NOT NULL,
    CONSTRAINT account_customer_balance_not_negative CHECK (kind <> 'CUSTOMER' OR balance >= 0),
    CONSTRAINT account_system_has_no_running_balance CHECK (kind = 'CUSTOMER' OR balance = 0),
    CONSTRAINT account_customer_has_owner CHECK ((kind = 'CUSTOMER') = (owner_id IS NOT NULL))
);
CREATE INDEX account_owner_idx ON account (owner_id, id);
CREATE UNIQUE INDEX account_system_uq ON account (kind, currency) WHERE kind <> 'CUSTOMER';

CREATE TABLE transfer (
    id              uuid        PRIMARY KEY,
    from_account_id uuid        NOT NULL REFERENCES account (id),
    to_account_id   uuid        NOT NULL REFERENCES account (id),
    amount          bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
    currency        char(3)     NOT NULL,
    description     text,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
    failure_reason  text,
    created_by      uuid        NOT NULL REFERENCES app_user (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT transfer_between_two_accounts CHECK (from_account_id <> to_account_id),
    CONSTRAINT transfer_failed_has_reason CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL))
);
CREATE INDEX transfer_from_idx ON transfer (from_account_id, created_at);
CREATE INDEX transfer_to_idx ON transfer (to_account_id, id);
CREATE INDEX transfer_status_idx ON transfer (status, id);

-- A terminal status is final: the database refuses to leave it, whatever the code tries.
CREATE FUNCTION transfer_terminal_status_is_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'PENDING' THEN
        RAISE EXCEPTION 'transfer % is % and final', OLD.id, OLD.status;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER transfer_terminal_status_is_final
    BEFORE UPDATE ON transfer FOR EACH ROW EXECUTE FUNCTION transfer_terminal_status_is_final();

CREATE TABLE deposit (
    id         uuid        PRIMARY KEY,
    account_id uuid        NOT NULL REFERENCES account (id),
    amount     bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
    currency   char(3)     NOT NULL,
    reference  text,
    created_by uuid        NOT NULL REFERENCES app_user (id),
    created_at timestamptz NOT NULL
);
CREATE INDEX deposit_account_idx ON deposit (account_id);

-- The ledger is append-only: corrections are new journals, never an UPDATE or DELETE.
CREATE TABLE journal (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    movement_id uuid        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX journal_movement_idx ON journal (movement_id);

CREATE TABLE entry (
    seq                     bigserial   NOT NULL UNIQUE,
    id                      uuid        PRIMARY KEY,
    journal_id              uuid        NOT NULL REFERENCES journal (id),
    movement_id             uuid        NOT NULL,
    account_id              uuid        NOT NULL REFERENCES account (id),
    direction               text        NOT NULL CHECK (direction IN ('DEBIT', 'CREDIT')),
    amount                  bigint      NOT NULL CHECK (amount > 0),
    currency                char(3)     NOT NULL,
    -- null for system accounts, which keep no running balance
    balance_after           bigint      CHECK (balance_after IS NULL OR balance_after >= 0),
    counterparty_account_id uuid,
    description             text,
    created_at              timestamptz NOT NULL
);
CREATE INDEX entry_account_time_idx ON entry (account_id, created_at DESC, id DESC);
CREATE INDEX entry_currency_idx ON entry (currency);

CREATE FUNCTION ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER journal_is_append_only
    BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER entry_is_append_only
    BEFORE UPDATE OR DELETE ON entry FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- One row per (user, Idempotency-Key) that produced an answer, written in the same transaction
-- as the change it answers for. Concurrent requests with one key serialise on a transaction-level
-- advisory lock on the pair, so an in-flight key is seen as such (409) and never runs twice.
CREATE TABLE idempotency_record (
    user_id         uuid        NOT NULL,
    idem_key        text        NOT NULL,
    fingerprint     text        NOT NULL,
    response_status int         NOT NULL,
    response_body   text        NOT NULL,
    location        text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);

-- Events written in the transaction that caused them; the relay sends them to Kafka at least once.
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    message_key text        NOT NULL,
    event_type  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Events a consumer has applied; a redelivery finds its id here and changes nothing.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- Refresh tokens are stored only as SHA-256 hashes. A login starts a family; each refresh spends
-- one token and issues the next in the same family; a spent token presented again revokes the family.
CREATE TABLE refresh_token (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES app_user (id),
    family_id   uuid        NOT NULL,
    token_hash  text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    spent_at    timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
