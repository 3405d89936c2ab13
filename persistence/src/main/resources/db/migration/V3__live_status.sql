-- Live status: the event log behind the SSE streams, and the index behind "recent entries".
--
-- Why a second table next to the outbox: an outbox id (or any sequence taken at insert time) is
-- handed out before the writing transaction commits, and transactions commit out of order, so a
-- reader that saw id 8 may later find id 7 commit. A stream resumed "after 8" would skip 7.
-- Here the position is taken AFTER the business commit by one serialised sequencer: every
-- transaction that appends takes pg_advisory_xact_lock(EVENT_LOG_LOCK) first, so these
-- transactions run and commit one at a time and seq order equals visibility order. A reader that
-- has seen seq n will never later find a committed row with seq < n. Gaps (a rolled-back
-- sequencer transaction burns sequence values) are harmless: readers ask for "seq > n".
CREATE TABLE event_log (
    seq              bigserial   PRIMARY KEY,
    event_id         uuid        NOT NULL UNIQUE,
    event_type       text        NOT NULL,
    -- the resource the event is about (transfer, deposit, withdrawal id)
    resource_id      uuid        NOT NULL,
    -- the accounts whose streams carry the event: a transfer names both parties
    account_id       uuid,
    other_account_id uuid,
    -- the resource's public JSON, exactly the SSE data
    data             text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    sequenced_at     timestamptz NOT NULL
);
CREATE INDEX event_log_resource_idx ON event_log (resource_id, seq);
CREATE INDEX event_log_account_idx ON event_log (account_id, seq);
CREATE INDEX event_log_other_account_idx ON event_log (other_account_id, seq)
    WHERE other_account_id IS NOT NULL;
CREATE INDEX event_log_sequenced_idx ON event_log (sequenced_at);

-- The recent-entries cache is scored by entry.seq; rebuilding it reads an account's newest
-- entries in that order.
CREATE INDEX entry_account_seq_idx ON entry (account_id, seq DESC);
