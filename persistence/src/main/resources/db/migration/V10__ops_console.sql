-- The operators' console (docs/CONTRACT.md, Operations): the indexes its queries need, so that
-- each is answered from an index however large the tables grow under load. One migration for
-- all of them, written once: the endpoints that use them arrive in separate commits.

-- Overview: dead letters not yet replayed, counted every sample. Few rows, and only while a
-- message is stuck; without this the count reads the whole table every few seconds.
CREATE INDEX dead_letter_unreplayed_idx ON dead_letter (id) WHERE replayed_at IS NULL;

-- Transfer search by creation time (from inclusive, to exclusive). Ids are time-ordered too, but
-- an id is minted a lock wait after created_at is stamped, so only created_at is exact. Appended
-- at the right edge like the primary key: one more cheap insert per transfer.
CREATE INDEX transfer_created_idx ON transfer (created_at);

-- Withdrawal search by status (newest first, like transfer_status_idx) and by creation time.
CREATE INDEX withdrawal_status_idx ON withdrawal (status, id);
CREATE INDEX withdrawal_created_idx ON withdrawal (created_at);

-- Webhook deliveries listed by status or by endpoint, newest first. The existing partial
-- indexes serve the worker (due PENDING rows) and the dead-letter list, not these pages.
CREATE INDEX webhook_delivery_status_idx ON webhook_delivery (status, id);
CREATE INDEX webhook_delivery_endpoint_idx ON webhook_delivery (endpoint_id, id);
