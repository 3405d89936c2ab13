-- pgbench: the settle (credit) step of a transfer as the credit-leg consumer sent it before group
-- commit: one transaction per credit (InboxStore.firstDelivery, TransferStore.settle ->
-- creditOrRefund -> complete), as captured from the API at the time. Every transaction settles one
-- PENDING transfer that accept.sql made in its hot run, so every credit lands on the one hot
-- merchant account: this is the database's ceiling for a hot account's credits when each takes
-- the row lock and a commit of its own. The credit leg now settles a partition's backlog in one
-- transaction per batch (TransferSettlement), which this ceiling does not bound.
--
-- Differences from the API, besides values as in accept.sql: the transfer to settle comes from
-- pgbench_pending (n -> transfer id, filled by `run`), looked up inside the FOR UPDATE statement,
-- where the API has the id from the Kafka message. Run with -t (pgbench_pending has a fixed
-- number of rows): -D clients=<-c>, k=0, phase, transit.

\set k :k + 1
\set n :client_id + 1 + (:k - 1) * :clients
\set seq :phase * 1000000000000000 + :k * 1000 + :client_id
\set entry1 2 * :seq
\set entry2 :entry1 + 1

BEGIN READ WRITE;

-- InboxStore.firstDelivery
INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('credit-leg', pgbench_uuid(9, :seq), now())
ON CONFLICT (consumer, event_id) DO NOTHING;

-- TransferStore.settle
SELECT id, from_account_id, to_account_id, amount, currency, description, status, failure_reason, created_at, updated_at FROM transfer WHERE id = (SELECT transfer_id FROM pgbench_pending WHERE n = :n) FOR UPDATE \gset t_

-- AccountBalances.credit: the payee, here always the hot merchant
UPDATE account SET balance = balance + :t_amount
 WHERE id = :t_to_account_id AND kind = 'CUSTOMER' AND status = 'ACTIVE' AND currency = :t_currency
RETURNING balance \gset

-- LedgerStore.append: journal TRANSFER_CREDIT, TRANSIT -> payee
WITH j AS (
    INSERT INTO journal (id, kind, movement_id, created_at)
    VALUES (pgbench_uuid(10, :seq), 'TRANSFER_CREDIT', :t_id, now())
)
INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount, currency,
                   balance_after, counterparty_account_id, description, created_at)
VALUES (pgbench_uuid(11, :entry1), pgbench_uuid(10, :seq), :t_id, :transit, 'DEBIT', :t_amount, :t_currency,
        NULL, :t_to_account_id, NULL, now()),
       (pgbench_uuid(11, :entry2), pgbench_uuid(10, :seq), :t_id, :t_to_account_id, 'CREDIT', :t_amount, :t_currency,
        :balance, :t_from_account_id, NULL, now());

-- TransferStore.markTerminal
UPDATE transfer SET status = 'COMPLETED', failure_reason = NULL, updated_at = now()
 WHERE id = :t_id AND status = 'PENDING';

-- OutboxStore.append: transfer.completed
WITH o AS (
    INSERT INTO outbox (event_id, topic, message_key, event_type, payload, created_at)
    VALUES (pgbench_uuid(13, :seq), 'paystream.events', :t_to_account_id, 'transfer.completed',
            format('{"eventId":"%s","type":"transfer.completed","key":"%s","occurredAt":"%s","data":"{\"id\":\"%s\",\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":%s,\"currency\":\"%s\",\"description\":%s,\"status\":\"COMPLETED\",\"failureReason\":%s,\"createdAt\":\"%s\",\"updatedAt\":\"%s\"}"}',
                   pgbench_uuid(13, :seq), :t_to_account_id::text, now(), :t_id::text,
                   :t_from_account_id::text, :t_to_account_id::text, :t_amount::text,
                   :t_currency::text, 'null', 'null', :t_created_at::text, now()),
            now())
)
SELECT pg_notify('paystream_outbox', '');

COMMIT;
