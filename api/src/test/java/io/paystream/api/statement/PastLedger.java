package io.paystream.api.statement;

import io.paystream.domain.Direction;
import io.paystream.domain.Ids;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes an account with a history in the past straight into the test database, because the API
 * stamps everything "now" and statements of closed months need closed months with entries. Each
 * posting is a balanced journal against the currency's WORLD account (which must exist: open an
 * account of the currency through the API first), and the running balance matches the entries, so
 * the ledger checks of other tests in this JVM still hold.
 */
final class PastLedger {

  private final UUID owner;
  private final String currency;
  private final UUID account = Ids.newId();
  private final StringBuilder sql = new StringBuilder();
  private long balance;

  private PastLedger(UUID owner, String currency, Instant openedAt) {
    this.owner = owner;
    this.currency = currency;
    sql.append("DO $$ DECLARE world uuid; j uuid; m uuid; BEGIN\n")
        .append("SELECT id INTO STRICT world FROM account WHERE kind = 'WORLD' AND currency = '")
        .append(currency)
        .append("';\n")
        .append("INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)")
        .append(" VALUES ('")
        .append(account)
        .append("', '")
        .append(owner)
        .append("', 'CUSTOMER', '")
        .append(currency)
        .append("', 0, 'ACTIVE', '")
        .append(openedAt)
        .append("');\n");
  }

  static PastLedger open(UUID owner, String currency, String openedAt) {
    return new PastLedger(owner, currency, Instant.parse(openedAt));
  }

  PastLedger credit(long amount, String at, String description) {
    return post(Direction.CREDIT, amount, at, description);
  }

  PastLedger debit(long amount, String at, String description) {
    return post(Direction.DEBIT, amount, at, description);
  }

  private PastLedger post(Direction direction, long amount, String at, String description) {
    balance = Math.addExact(balance, direction.signed(amount));
    String other = direction == Direction.CREDIT ? "DEBIT" : "CREDIT";
    sql.append("j := gen_random_uuid(); m := gen_random_uuid();\n")
        .append(
            "INSERT INTO journal (id, kind, movement_id, created_at) VALUES (j, 'DEPOSIT', m, '")
        .append(at)
        .append("');\n")
        .append("INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount,")
        .append(" currency, balance_after, counterparty_account_id, description, created_at)")
        .append(" VALUES (gen_random_uuid(), j, m, '")
        .append(account)
        .append("', '")
        .append(direction.name())
        .append("', ")
        .append(amount)
        .append(", '")
        .append(currency)
        .append("', ")
        .append(balance)
        .append(", NULL, '")
        .append(description)
        .append("', '")
        .append(at)
        .append("'), (gen_random_uuid(), j, m, world, '")
        .append(other)
        .append("', ")
        .append(amount)
        .append(", '")
        .append(currency)
        .append("', NULL, '")
        .append(account)
        .append("', '")
        .append(description)
        .append("', '")
        .append(at)
        .append("');\n");
    return this;
  }

  /** Writes it all in one transaction; returns the account id. */
  UUID write() {
    sql.append("UPDATE account SET balance = ")
        .append(balance)
        .append(" WHERE id = '")
        .append(account)
        .append("';\nEND $$;");
    TestDatabase.sql(sql.toString());
    return account;
  }

  UUID owner() {
    return owner;
  }
}
