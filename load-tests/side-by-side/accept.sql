-- pgbench: the accept step of POST /api/v1/transfers with one transaction per transfer, statement
-- for statement as the API sent it before group commit (IdempotencyService.execute ->
-- TransferStore.accept -> MoneyAudit -> IdempotencyStore.save, the path that transfers with daily
-- or velocity limits still take; checked against a log_statement capture at the time). It is the
-- ceiling of that design; accept-batch.sql is the API's accept step now. Run with -M prepared:
-- the API's driver also sends named prepared statements (S_n in the capture).
--
-- The only differences from the API: values it binds as parameters are pgbench variables or SQL
-- expressions here (ids from pgbench_uuid(), times from now(), JSON texts from format()), and the
-- TRANSIT id is passed in (-D transit=...), because SystemAccounts caches it after the first
-- transfer of the process: in steady state the API does not look it up either.
--
-- Variables (-D): users (payers 1..users; account 0 is the hot merchant), hot (1: every transfer
-- pays account 0; 0: a random other payer), phase (keeps ids of separate runs apart), k=0 (a
-- per-client counter; pgbench keeps variables across a client's transactions), transit.

\set k :k + 1
\set seq :phase * 1000000000000000 + :k * 1000 + :client_id
\set entry1 2 * :seq
\set entry2 :entry1 + 1
\set payer random(1, :users)
\set other random(1, :users - 1)
\set payee CASE WHEN :hot = 1 THEN 0 WHEN :other >= :payer THEN :other + 1 ELSE :other END

BEGIN READ WRITE;

-- IdempotencyStore.tryLock: (user, key)
SELECT pg_try_advisory_xact_lock(hashtextextended(pgbench_uuid(1, :payer) || '/pgbench-' || :seq::bigint, 0)) AS locked;

-- IdempotencyStore.find
SELECT fingerprint, response_status, response_body, location FROM idempotency_record
 WHERE user_id = pgbench_uuid(1, :payer) AND idem_key = 'pgbench-' || :seq::bigint;

-- AccountStore.findPair: payer and payee in one statement
SELECT id, owner_id, currency, balance, held, status, created_at FROM account WHERE id IN (pgbench_uuid(2, :payer), pgbench_uuid(2, :payee)) AND kind = 'CUSTOMER';

-- AccountBalances.debit: the conditional debit
UPDATE account SET balance = balance - 1
 WHERE id = pgbench_uuid(2, :payer) AND kind = 'CUSTOMER' AND status = 'ACTIVE'
   AND currency = 'EUR' AND balance - held >= 1
RETURNING balance \gset

-- TransferStore.record: the PENDING transfer
INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency,
                      description, status, failure_reason, created_by,
                      created_at, updated_at)
VALUES (pgbench_uuid(3, :seq), pgbench_uuid(2, :payer), pgbench_uuid(2, :payee), 1, 'EUR', NULL, 'PENDING', NULL,
        pgbench_uuid(1, :payer), now(), now());

-- LedgerStore.append: journal TRANSFER_DEBIT, payer -> TRANSIT
WITH j AS (
    INSERT INTO journal (id, kind, movement_id, created_at)
    VALUES (pgbench_uuid(4, :seq), 'TRANSFER_DEBIT', pgbench_uuid(3, :seq), now())
)
INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount, currency,
                   balance_after, counterparty_account_id, description, created_at)
VALUES (pgbench_uuid(5, :entry1), pgbench_uuid(4, :seq), pgbench_uuid(3, :seq), pgbench_uuid(2, :payer), 'DEBIT', 1, 'EUR',
        :balance, pgbench_uuid(2, :payee), NULL, now()),
       (pgbench_uuid(5, :entry2), pgbench_uuid(4, :seq), pgbench_uuid(3, :seq), :transit, 'CREDIT', 1, 'EUR',
        NULL, pgbench_uuid(2, :payer), NULL, now());

-- OutboxStore.append: transfer.pending, keyed by the payee, and the NOTIFY that wakes the relay
WITH o AS (
    INSERT INTO outbox (event_id, topic, message_key, event_type, payload, created_at)
    VALUES (pgbench_uuid(7, :seq), 'paystream.events', pgbench_uuid(2, :payee)::text, 'transfer.pending',
            format('{"eventId":"%s","type":"transfer.pending","key":"%s","occurredAt":"%s","data":"{\"id\":\"%s\",\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":%s,\"currency\":\"EUR\",\"description\":%s,\"status\":\"PENDING\",\"failureReason\":%s,\"createdAt\":\"%s\",\"updatedAt\":\"%s\"}"}',
                   pgbench_uuid(7, :seq), pgbench_uuid(2, :payee), now(), pgbench_uuid(3, :seq),
                   pgbench_uuid(2, :payer), pgbench_uuid(2, :payee), 1, 'null', 'null', now(), now()),
            now())
)
SELECT pg_notify('paystream_outbox', '');

-- MoneyAudit.accepted -> AuditStore.append
INSERT INTO audit_event (id, type, user_id, request_id, client_address, metadata,
                         created_at)
VALUES (pgbench_uuid(8, :seq), 'money.accepted', pgbench_uuid(1, :payer), 'pgbench-' || :seq::bigint, '127.0.0.1',
        CAST(format('{"operation":"POST /api/v1/transfers","status":%s,"fromAccountId":"%s","toAccountId":"%s","amount":%s,"currency":"EUR","resourceId":"%s"}',
                    202, pgbench_uuid(2, :payer), pgbench_uuid(2, :payee), 1, pgbench_uuid(3, :seq)) AS jsonb),
        now());

-- IdempotencyStore.save: the stored 202 answer
INSERT INTO idempotency_record (user_id, idem_key, fingerprint, response_status,
                                response_body, location, created_at)
VALUES (pgbench_uuid(1, :payer), 'pgbench-' || :seq::bigint, '8f7ac0fa0b1c9156fbd2be7a288a6fdc123622c75c38f3aeae93bc82ecb845b4', 202,
        format('{"id":"%s","fromAccountId":"%s","toAccountId":"%s","amount":%s,"currency":"EUR","description":%s,"status":"PENDING","failureReason":%s,"createdAt":"%s","updatedAt":"%s"}',
               pgbench_uuid(3, :seq), pgbench_uuid(2, :payer), pgbench_uuid(2, :payee), 1, 'null', 'null',
               now(), now()),
        '/api/v1/transfers/' || pgbench_uuid(3, :seq), now());

COMMIT;
