-- pgbench, second half of the "whole transfer" row: the credit leg's pass over the batch that
-- accept-batch.sql has just committed, in one transaction, as the API issues it after the
-- one-pass refactor of issue 22 (credit, ledger, terminal status, webhook lookup and the event log
-- together; no transfer.completed outbox row any more), then the read of the sequenced entries
-- for the recent-entries cache after the commit. `run` appends this file to accept-batch.sql
-- (pgbench has no include) and runs the result, target/run-<id>/whole-batch.sql, with one client
-- per lane: per execution one accept batch and its credits, so the row is the database's floor
-- for a completed transfer at the peak, not only for its accept step.
--
-- Written from the refactor's description (statement order, tables, locks); its exact text is
-- not captured yet: compare with target/run-<id>/captured-settle.sql of a run on the refactored
-- API and follow it where they differ. The transfers, payers and payees are accept-batch.sql's
-- (its :b_* variables and pgbench_batch() at the same :seq). As there, the statement before BEGIN
-- deals the values the API holds in memory (the credited payees' totals, the balances it decided
-- on the locked rows, the events' documents) and is not part of the transaction. Ids: kinds 14
-- (credit journal), 15 (its entries), 16 (transfer.completed event) of pgbench_uuid, numbered as
-- accept-batch.sql numbers its transfers.

SELECT (SELECT array_agg(pgbench_uuid(2, payee) ORDER BY payee) FROM (SELECT payee FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) GROUP BY payee) p) AS credited,
       (SELECT array_agg(total ORDER BY payee) FROM (SELECT payee, count(*) AS total FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) GROUP BY payee) p) AS totals,
       array_agg(pgbench_uuid(14, n) ORDER BY i) AS journals,
       array_agg('TRANSFER_CREDIT'::text ORDER BY i) AS kinds,
       array_agg(pgbench_uuid(15, 2 * n) ORDER BY i) AS entries1,
       array_agg(pgbench_uuid(15, 2 * n + 1) ORDER BY i) AS entries2,
       array_agg(balance_after ORDER BY i) AS balances,
       -- the event log: each transfer's transfer.pending (the accept's outbox event) and
       -- transfer.completed, payee's and payer's streams
       array_agg(pgbench_uuid(7, n) ORDER BY i) || array_agg(pgbench_uuid(16, n) ORDER BY i) AS event_ids,
       array_agg('transfer.pending'::text ORDER BY i) || array_agg('transfer.completed'::text ORDER BY i) AS event_types,
       array_agg(pgbench_uuid(3, n) ORDER BY i) || array_agg(pgbench_uuid(3, n) ORDER BY i) AS event_resources,
       array_agg(pgbench_uuid(2, payee) ORDER BY i) || array_agg(pgbench_uuid(2, payee) ORDER BY i) AS event_accounts,
       array_agg(pgbench_uuid(2, payer) ORDER BY i) || array_agg(pgbench_uuid(2, payer) ORDER BY i) AS event_others,
       array_agg(format('{"id":"%s","fromAccountId":"%s","toAccountId":"%s","amount":1,"currency":"EUR","description":%s,"status":"PENDING","failureReason":%s,"createdAt":"%s","updatedAt":"%s"}',
                        pgbench_uuid(3, n), pgbench_uuid(2, payer), pgbench_uuid(2, payee), 'null', 'null', now(), now()) ORDER BY i)
         || array_agg(format('{"id":"%s","fromAccountId":"%s","toAccountId":"%s","amount":1,"currency":"EUR","description":%s,"status":"COMPLETED","failureReason":%s,"createdAt":"%s","updatedAt":"%s"}',
                             pgbench_uuid(3, n), pgbench_uuid(2, payer), pgbench_uuid(2, payee), 'null', 'null', now(), now()) ORDER BY i) AS event_data,
       array_agg(now()::text ORDER BY i) || array_agg(now()::text ORDER BY i) AS event_times,
       array_agg('00-' || md5(pgbench_uuid(3, n)::text) || '-' || left(md5(i::text), 16) || '-00' ORDER BY i)
         || array_agg('00-' || md5(pgbench_uuid(3, n)::text) || '-' || left(md5(i::text), 16) || '-00' ORDER BY i) AS event_traceparents,
       -- WebhookStore.enqueueAll: one row per event and party
       array_agg(i - 1 ORDER BY i) || array_agg(i - 1 ORDER BY i) || array_agg(:batch::int + i - 1 ORDER BY i) || array_agg(:batch::int + i - 1 ORDER BY i) AS hook_indexes,
       array_agg('transfer.pending'::text ORDER BY i) || array_agg('transfer.pending'::text ORDER BY i)
         || array_agg('transfer.completed'::text ORDER BY i) || array_agg('transfer.completed'::text ORDER BY i) AS hook_types,
       array_fill('transfer.*'::text, ARRAY[4 * :batch::int]) AS hook_families,
       array_agg(pgbench_uuid(2, payer) ORDER BY i) || array_agg(pgbench_uuid(2, payee) ORDER BY i)
         || array_agg(pgbench_uuid(2, payer) ORDER BY i) || array_agg(pgbench_uuid(2, payee) ORDER BY i) AS hook_accounts
  FROM (SELECT b.*, pgbench_balance(b.payee) + count(*) OVER (PARTITION BY b.payee ORDER BY b.i) AS balance_after
          FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) b) batch \gset c_

BEGIN READ WRITE;

-- InboxStore.firstDeliveries: the batch's transfer.pending events, first delivery only
INSERT INTO inbox (consumer, event_id, processed_at)
SELECT 'credit-leg', event_id, now() FROM unnest(:b_events::uuid[]) AS e(event_id)
ON CONFLICT (consumer, event_id) DO NOTHING
RETURNING event_id;

-- TransferSettlement.lock: the transfers, in id order
SELECT id, from_account_id, to_account_id, amount, currency, description, status, failure_reason, created_at, updated_at
  FROM transfer WHERE id = ANY(:b_transfers::uuid[]) ORDER BY id FOR UPDATE;

-- AccountStore.lock: the payees, in id order
WITH locked AS (
    SELECT id, owner_id, currency, balance, held, status, created_at FROM account
     WHERE id = ANY(:c_credited::uuid[]) AND kind = 'CUSTOMER' ORDER BY id FOR NO KEY UPDATE
)
SELECT id, owner_id, currency, balance, held, status, created_at FROM locked
 UNION ALL
SELECT id, owner_id, currency, balance, held, status, created_at FROM account
 WHERE id = ANY('{}'::uuid[]) AND kind = 'CUSTOMER' AND NOT id = ANY(:c_credited::uuid[]);

-- AccountBalances.credit: each payee's total in one UPDATE
UPDATE account a SET balance = a.balance + c.delta
  FROM unnest(:c_credited::uuid[], :c_totals::bigint[]) AS c(id, delta)
 WHERE a.id = c.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE'
RETURNING a.id, a.balance;

-- LedgerStore.appendAll: one TRANSFER_CREDIT journal per transfer, TRANSIT -> payee
WITH batch AS (
    SELECT * FROM unnest(:c_journals::uuid[], :c_kinds::text[], :b_transfers::uuid[], :b_descriptions::text[],
                         :c_entries1::uuid[], :b_transits::uuid[], :b_debits::text[], :b_amounts::bigint[],
                         :b_currencies::text[], :b_no_balances::bigint[], :b_tos::uuid[],
                         :c_entries2::uuid[], :b_tos::uuid[], :b_credits::text[], :b_amounts::bigint[],
                         :b_currencies::text[], :c_balances::bigint[], :b_froms::uuid[])
           WITH ORDINALITY AS b(journal_id, kind, movement_id, description,
                                id1, account1, direction1, amount1, currency1, balance1, counterparty1,
                                id2, account2, direction2, amount2, currency2, balance2, counterparty2, n)
), j AS (
    INSERT INTO journal (id, kind, movement_id, created_at)
    SELECT journal_id, kind, movement_id, now() FROM batch ORDER BY n
)
INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount, currency,
                   balance_after, counterparty_account_id, description, created_at)
SELECT e.id, b.journal_id, b.movement_id, e.account_id, e.direction, e.amount, e.currency,
       e.balance_after, e.counterparty, b.description, now()
  FROM batch b
 CROSS JOIN LATERAL (VALUES
       (b.id1, b.account1, b.direction1, b.amount1, b.currency1, b.balance1, b.counterparty1, 1),
       (b.id2, b.account2, b.direction2, b.amount2, b.currency2, b.balance2, b.counterparty2, 2))
       AS e(id, account_id, direction, amount, currency, balance_after, counterparty, k)
 ORDER BY b.n, e.k;

-- TransferSettlement: the batch COMPLETED
UPDATE transfer SET status = 'COMPLETED', failure_reason = NULL, updated_at = now()
 WHERE id = ANY(:b_transfers::uuid[]) AND status = 'PENDING';

-- WebhookStore.enqueueAll: the endpoints that want the events (none here: no insert follows)
SELECT DISTINCT ev.n, e.id
  FROM unnest(:c_hook_indexes::int[], :c_hook_types::text[], :c_hook_families::text[], :c_hook_accounts::uuid[])
       AS ev(n, type, family, account_id)
  JOIN account a ON a.id = ev.account_id AND a.owner_id IS NOT NULL
  JOIN webhook_endpoint e ON e.owner_id = a.owner_id AND e.deleted_at IS NULL
       AND (ev.type = ANY (e.events) OR ev.family = ANY (e.events))
 ORDER BY ev.n, e.id;

-- EventLogStore.append: the event log's lock (EVENT_LOG_LOCK), then both events of each transfer
SELECT pg_advisory_xact_lock(5788046182933484627);

WITH inserted AS (
    INSERT INTO event_log (event_id, event_type, resource_id, account_id,
                           other_account_id, data, occurred_at, sequenced_at,
                           trace_parent)
    SELECT event_id, event_type, resource_id, account_id, other_account_id, data,
           occurred_at, now(), trace_parent
      FROM unnest(:c_event_ids::uuid[], :c_event_types::text[], :c_event_resources::uuid[],
                  :c_event_accounts::uuid[], :c_event_others::uuid[], :c_event_data::text[],
                  :c_event_times::timestamptz[], :c_event_traceparents::text[])
           WITH ORDINALITY AS e(event_id, event_type, resource_id, account_id,
                                other_account_id, data, occurred_at,
                                trace_parent, n)
     ORDER BY n
    ON CONFLICT (event_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) AS inserted, pg_notify('paystream_events', '') AS notified FROM inserted;

COMMIT;

-- SequencedEntries.ofMovements, after the commit: the customer entries for the recent cache
SELECT e.seq, e.id, e.movement_id, e.account_id, e.direction, e.amount, e.currency,
       e.balance_after, e.counterparty_account_id, e.description, e.created_at
  FROM entry e
 WHERE e.movement_id = ANY(:b_transfers::uuid[])
   AND (SELECT a.kind FROM account a WHERE a.id = e.account_id) = 'CUSTOMER'
 ORDER BY e.seq;
