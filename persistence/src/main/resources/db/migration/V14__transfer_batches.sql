-- Atomic batches (issue 23): up to a named number of transfers from one payer account, accepted
-- all together or not at all in one transaction. Each leg is an ordinary transfer; the batch
-- records which transfers it made and in what order. Its status is not stored: it is derived from
-- its legs' statuses whenever it is read.
CREATE TABLE transfer_batch (
    id              uuid        PRIMARY KEY,
    from_account_id uuid        NOT NULL REFERENCES account (id),
    currency        char(3)     NOT NULL,
    created_by      uuid        NOT NULL REFERENCES app_user (id),
    created_at      timestamptz NOT NULL
);

CREATE TABLE transfer_batch_leg (
    batch_id    uuid NOT NULL REFERENCES transfer_batch (id),
    leg         int  NOT NULL CHECK (leg >= 0),
    transfer_id uuid NOT NULL UNIQUE REFERENCES transfer (id),
    PRIMARY KEY (batch_id, leg)
);
