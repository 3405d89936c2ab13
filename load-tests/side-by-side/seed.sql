-- Rows the pgbench scripts work on, written with plain SQL into the schema the API's Flyway
-- created (run by `run` with psql -v users=N -v funding=M, after the API has stopped).
--
-- Ids are deterministic so that the pgbench scripts can name rows without a lookup:
-- pgbench_uuid(kind, n) = 8 hex digits of kind, then 24 of n. Kinds used:
--   1 user, 2 account, 20 funding journal, 21 funding movement, 22/23 funding entries;
--   3..8 ids made by accept.sql, 9..13 ids made by settle.sql (see those files).
-- Account 0 (user 0) is the hot merchant; accounts 1..users are the payers.

CREATE OR REPLACE FUNCTION pgbench_uuid(kind int, n bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (lpad(to_hex(kind), 8, '0') || lpad(to_hex(n), 24, '0'))::uuid $$;

-- The EUR system accounts, exactly as SystemAccounts.ensure creates them (the API has already
-- created them in this database; then these do nothing).
INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)
SELECT gen_random_uuid(), NULL, kind, 'EUR', 0, 'ACTIVE', now()
  FROM unnest(ARRAY['WORLD', 'TRANSIT', 'PAYOUT']) AS kind
    ON CONFLICT (kind, currency) WHERE kind <> 'CUSTOMER' DO NOTHING;

INSERT INTO app_user (id, email, name, password_hash, roles, created_at)
SELECT pgbench_uuid(1, n), 'pgbench-' || n || '@bench.invalid', 'pgbench ' || n,
       'no login: seeded for pgbench', ARRAY['CUSTOMER'], now()
  FROM generate_series(0, :users) AS n;

-- Every account starts with :funding minor units, funded like a deposit (WORLD -> account,
-- one journal, two entries), so the ledger still balances and every balance still equals the
-- sum of its entries: the check at the end proves the scripts moved money correctly.
INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)
SELECT pgbench_uuid(2, n), pgbench_uuid(1, n), 'CUSTOMER', 'EUR', :funding, 'ACTIVE', now()
  FROM generate_series(0, :users) AS n;

INSERT INTO journal (id, kind, movement_id, created_at)
SELECT pgbench_uuid(20, n), 'DEPOSIT', pgbench_uuid(21, n), now()
  FROM generate_series(0, :users) AS n;

INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount, currency,
                   balance_after, counterparty_account_id, description, created_at)
SELECT pgbench_uuid(22, n), pgbench_uuid(20, n), pgbench_uuid(21, n),
       (SELECT id FROM account WHERE kind = 'WORLD' AND currency = 'EUR'), 'DEBIT', :funding,
       'EUR', NULL, pgbench_uuid(2, n), 'pgbench funding', now()
  FROM generate_series(0, :users) AS n
UNION ALL
SELECT pgbench_uuid(23, n), pgbench_uuid(20, n), pgbench_uuid(21, n), pgbench_uuid(2, n),
       'CREDIT', :funding, 'EUR', :funding, NULL, 'pgbench funding', now()
  FROM generate_series(0, :users) AS n;

-- For accept-batch.sql: the transfers of one batch, deterministic in its arguments: transfer i
-- of the batch has the number n (ids and keys), a payer and a payee (the hot merchant 0, or
-- another payer), spread like accept.sql's random() picks. As in the API, payers are dealt to
-- lanes (payer - 1 = lane modulo lanes) and a batch draws its payers from its own lane only.
CREATE OR REPLACE FUNCTION pgbench_batch(seq bigint, batch int, users int, hot int, lane int,
                                         lanes int)
    RETURNS TABLE (i int, n bigint, payer int, payee int)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT i, seq * 128 + i, r.payer,
             CASE WHEN hot = 1 THEN 0 WHEN r.other >= r.payer THEN r.other + 1 ELSE r.other END
        FROM generate_series(1, batch) AS i,
             LATERAL (SELECT 1 + lane + lanes * (((hashint8(seq * 128 + i)::bigint
                                                   % ((users - 1 - lane) / lanes + 1))
                                                  + (users - 1 - lane) / lanes + 1)
                                                 % ((users - 1 - lane) / lanes + 1)) AS payer,
                             1 + ((hashint8(-(seq * 128 + i))::bigint % (users - 1)) + users - 1)
                               % (users - 1) AS other) r
    $$;

-- A payer's balance, read where the API uses the balance it decided in memory (after the debit,
-- plus what the batch's later transfers of that payer take): the entries' balance_after.
CREATE OR REPLACE FUNCTION pgbench_balance(n int) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT balance FROM account WHERE id = pgbench_uuid(2, n) $$;
