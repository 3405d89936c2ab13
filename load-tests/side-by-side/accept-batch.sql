-- pgbench: the accept step of POST /api/v1/transfers as the API sends it now, with group commit:
-- one transaction accepts a batch of :batch transfers (TransferAcceptor -> IdempotencyService.
-- executeAll -> TransferAccepts.accept -> MoneyAudit -> IdempotencyStore.saveAll), one statement
-- per step for the whole batch, as captured from the API (checked against a log_statement capture,
-- see `run`). Run with -M prepared and as many clients as the API has lanes
-- (paystream.transfers.group-commit.lanes): it is the database's ceiling for the group-commit
-- design, as accept.sql is for one transaction per transfer.
--
-- As the API binds each column of the batch as one array parameter, this script binds arrays: the
-- statement before BEGIN deals the batch (pgbench_batch() in seed.sql: payers and payees spread as
-- accept.sql's random() picks them, payers from this client's lane only, as the API's lanes do)
-- and \gset keeps each column as an array literal. It stands in for the API's in-memory work and
-- is not part of the compared transaction. The payers' balances after each transfer, which the
-- API decides on the locked rows, are read there too: only this client debits its lane's payers.
-- Every transfer moves 1 cent.
--
-- Variables (-D): users, hot, phase (at most 35), k=0, transit as in accept.sql; batch (1..127)
-- transfers per transaction; lanes, the number of clients (-c); client c is lane c. Transfer i of
-- the batch is number seq * 128 + i: the ids of pgbench_uuid() kinds 3..8 as in accept.sql, kept
-- apart from its runs by the phase.

\set k :k + 1
\set seq :phase * 1000000000000000 + :k * 1000 + :client_id

SELECT array_agg(pgbench_uuid(1, payer) || '/pgbench-' || n ORDER BY i) AS locks,
       array_agg(pgbench_uuid(1, payer) ORDER BY i) AS owners,
       array_agg('pgbench-' || n ORDER BY i) AS keys,
       (SELECT array_agg(DISTINCT pgbench_uuid(2, payer)) FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes)) AS payers,
       (SELECT array_agg(DISTINCT pgbench_uuid(2, payee)) FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes)) AS payees,
       (SELECT array_agg(pgbench_uuid(2, payer) ORDER BY payer) FROM (SELECT payer FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) GROUP BY payer) p) AS debited,
       (SELECT array_agg(total ORDER BY payer) FROM (SELECT payer, count(*) AS total FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) GROUP BY payer) p) AS totals,
       array_agg(pgbench_uuid(3, n) ORDER BY i) AS transfers,
       array_agg(pgbench_uuid(2, payer) ORDER BY i) AS froms,
       array_agg(pgbench_uuid(2, payee) ORDER BY i) AS tos,
       array_agg(1::bigint ORDER BY i) AS amounts,
       array_agg('EUR'::text ORDER BY i) AS currencies,
       array_agg(NULL::text ORDER BY i) AS descriptions,
       array_agg(pgbench_uuid(4, n) ORDER BY i) AS journals,
       array_agg('TRANSFER_DEBIT'::text ORDER BY i) AS kinds,
       array_agg(pgbench_uuid(5, 2 * n) ORDER BY i) AS entries1,
       array_agg('DEBIT'::text ORDER BY i) AS debits,
       array_agg(balance_after ORDER BY i) AS balances,
       array_agg(pgbench_uuid(5, 2 * n + 1) ORDER BY i) AS entries2,
       array_agg(:transit::uuid ORDER BY i) AS transits,
       array_agg('CREDIT'::text ORDER BY i) AS credits,
       array_agg(NULL::bigint ORDER BY i) AS no_balances,
       array_agg(pgbench_uuid(7, n) ORDER BY i) AS events,
       array_agg(pgbench_uuid(2, payee)::text ORDER BY i) AS event_keys,
       array_agg('transfer.pending'::text ORDER BY i) AS event_types,
       array_agg(format('{"eventId":"%s","type":"transfer.pending","key":"%s","occurredAt":"%s","data":"{\"id\":\"%s\",\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":%s,\"currency\":\"EUR\",\"description\":%s,\"status\":\"PENDING\",\"failureReason\":%s,\"createdAt\":\"%s\",\"updatedAt\":\"%s\"}"}',
                     pgbench_uuid(7, n), pgbench_uuid(2, payee), now(), pgbench_uuid(3, n), pgbench_uuid(2, payer),
                     pgbench_uuid(2, payee), 1, 'null', 'null', now(), now()) ORDER BY i) AS payloads,
       array_agg(now() ORDER BY i) AS times,
       array_agg(pgbench_uuid(8, n) ORDER BY i) AS audits,
       array_agg('money.accepted'::text ORDER BY i) AS audit_types,
       array_agg('127.0.0.1'::text ORDER BY i) AS addresses,
       array_agg(format('{"operation":"POST /api/v1/transfers","status":%s,"fromAccountId":"%s","toAccountId":"%s","amount":%s,"currency":"EUR","resourceId":"%s"}',
                        202, pgbench_uuid(2, payer), pgbench_uuid(2, payee), 1, pgbench_uuid(3, n)) ORDER BY i) AS metadata,
       array_agg('8f7ac0fa0b1c9156fbd2be7a288a6fdc123622c75c38f3aeae93bc82ecb845b4'::text ORDER BY i) AS fingerprints,
       array_agg(202 ORDER BY i) AS statuses,
       array_agg(format('{"id":"%s","fromAccountId":"%s","toAccountId":"%s","amount":%s,"currency":"EUR","description":%s,"status":"PENDING","failureReason":%s,"createdAt":"%s","updatedAt":"%s"}',
                        pgbench_uuid(3, n), pgbench_uuid(2, payer), pgbench_uuid(2, payee), 1, 'null', 'null', now(), now()) ORDER BY i) AS bodies,
       array_agg('/api/v1/transfers/' || pgbench_uuid(3, n) ORDER BY i) AS locations,
       -- Each request's W3C traceparent (an unsampled trace is carried as well as a sampled one).
       array_agg('00-' || md5(pgbench_uuid(3, n)::text) || '-' || left(md5(i::text), 16) || '-00' ORDER BY i) AS traceparents
  FROM (SELECT b.*, pgbench_balance(b.payer) - count(*) OVER (PARTITION BY b.payer ORDER BY b.i) AS balance_after
          FROM pgbench_batch(:seq, :batch, :users, :hot, :client_id, :lanes) b) batch \gset b_

BEGIN READ WRITE;

-- IdempotencyStore.tryLockAll: one advisory lock per (user, key)
SELECT pg_try_advisory_xact_lock(hashtextextended(name, 0)) AS locked
  FROM unnest(:b_locks::text[]) WITH ORDINALITY AS k(name, n) ORDER BY n;

-- IdempotencyStore.findAll
SELECT user_id, idem_key, fingerprint, response_status, response_body, location
  FROM idempotency_record
  JOIN unnest(:b_owners::uuid[], :b_keys::text[]) AS k(user_id, idem_key) USING (user_id, idem_key);

-- TransferAccepts.lockPayersReadPayees: the payers locked in id order, the other payees read
WITH locked AS (
    SELECT id, owner_id, currency, balance, held, status, created_at FROM account
     WHERE id = ANY(:b_payers::uuid[]) AND kind = 'CUSTOMER' ORDER BY id FOR NO KEY UPDATE
)
SELECT id, owner_id, currency, balance, held, status, created_at FROM locked
 UNION ALL
SELECT id, owner_id, currency, balance, held, status, created_at FROM account
 WHERE id = ANY(:b_payees::uuid[]) AND kind = 'CUSTOMER' AND NOT id = ANY(:b_payers::uuid[]);

-- TransferAccepts.debit: each payer's total in one conditional UPDATE
UPDATE account a SET balance = a.balance - d.total
  FROM unnest(:b_debited::uuid[], :b_totals::bigint[]) AS d(id, total)
 WHERE a.id = d.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE' AND a.balance - a.held >= d.total
RETURNING a.id, a.balance;

-- TransferAccepts.insertTransfers: the PENDING transfers
INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency, description, status,
                      failure_reason, created_by, created_at, updated_at)
SELECT id, from_account_id, to_account_id, amount, currency, description, 'PENDING', NULL, created_by,
       now(), now()
  FROM unnest(:b_transfers::uuid[], :b_froms::uuid[], :b_tos::uuid[], :b_amounts::bigint[],
              :b_currencies::text[], :b_descriptions::text[], :b_owners::uuid[])
       WITH ORDINALITY AS t(id, from_account_id, to_account_id, amount, currency, description, created_by, n)
 ORDER BY n;

-- LedgerStore.appendAll: one TRANSFER_DEBIT journal per transfer, payer -> TRANSIT
WITH batch AS (
    SELECT * FROM unnest(:b_journals::uuid[], :b_kinds::text[], :b_transfers::uuid[], :b_descriptions::text[],
                         :b_entries1::uuid[], :b_froms::uuid[], :b_debits::text[], :b_amounts::bigint[],
                         :b_currencies::text[], :b_balances::bigint[], :b_tos::uuid[],
                         :b_entries2::uuid[], :b_transits::uuid[], :b_credits::text[], :b_amounts::bigint[],
                         :b_currencies::text[], :b_no_balances::bigint[], :b_froms::uuid[])
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

-- OutboxStore.appendAll: transfer.pending per transfer, keyed by the payee, and the NOTIFY
WITH o AS (
    INSERT INTO outbox (event_id, message_key, event_type, payload, created_at, trace_parent)
    SELECT event_id, message_key, event_type, payload, created_at, trace_parent
      FROM unnest(:b_events::uuid[], :b_event_keys::text[], :b_event_types::text[], :b_payloads::text[],
                  :b_times::timestamptz[], :b_traceparents::text[])
           WITH ORDINALITY AS x(event_id, message_key, event_type, payload, created_at, trace_parent, n)
     ORDER BY n
)
SELECT pg_notify('paystream_outbox', '');

-- MoneyAudit -> AuditStore.appendAll: money.accepted per transfer
INSERT INTO audit_event (id, type, user_id, request_id, client_address, metadata, created_at)
SELECT id, type, user_id, request_id, client_address, CAST(metadata AS jsonb), created_at
  FROM unnest(:b_audits::uuid[], :b_audit_types::text[], :b_owners::uuid[], :b_keys::text[],
              :b_addresses::text[], :b_metadata::text[], :b_times::timestamptz[])
       WITH ORDINALITY AS a(id, type, user_id, request_id, client_address, metadata, created_at, n)
 ORDER BY n;

-- IdempotencyStore.saveAll: the stored 202 answers
INSERT INTO idempotency_record (user_id, idem_key, fingerprint, response_status, response_body,
                                location, created_at)
SELECT user_id, idem_key, fingerprint, response_status, response_body, location, now()
  FROM unnest(:b_owners::uuid[], :b_keys::text[], :b_fingerprints::text[], :b_statuses::int[],
              :b_bodies::text[], :b_locations::text[])
       AS r(user_id, idem_key, fingerprint, response_status, response_body, location);

COMMIT;
