package io.paystream.persistence.account;

import io.paystream.domain.Account;
import io.paystream.domain.AccountStatus;
import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Customer accounts and the per-currency system accounts. Balances change only through the money
 * statements of the transfer and deposit stores; this store opens accounts and changes status.
 */
@Repository
public class AccountStore {

  static final String COLUMNS = "id, owner_id, currency, balance, status, created_at";

  private final DatabaseClient db;
  private final SystemAccounts systemAccounts;
  private final Clock clock;

  public AccountStore(DatabaseClient db, SystemAccounts systemAccounts, Clock clock) {
    this.db = db;
    this.systemAccounts = systemAccounts;
    this.clock = clock;
  }

  /**
   * Opens an ACTIVE customer account with balance 0, creating the currency's system accounts if
   * new.
   */
  public Mono<Account> open(UUID ownerId, Currency currency) {
    Account account = Account.open(ownerId, currency, Timestamps.now(clock));
    return systemAccounts
        .ensure(currency)
        .then(
            db.sql(
                    """
                INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)
                VALUES (:id, :owner, 'CUSTOMER', :currency, 0, 'ACTIVE', :createdAt)""")
                .bind("id", account.id())
                .bind("owner", ownerId)
                .bind("currency", currency.getCurrencyCode())
                .bind("createdAt", account.createdAt())
                .fetch()
                .rowsUpdated())
        .thenReturn(account);
  }

  /** The customer account with this id; empty for unknown ids and for system accounts. */
  public Mono<Account> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM account WHERE id = :id AND kind = 'CUSTOMER'")
        .bind("id", id)
        .map(AccountStore::map)
        .one();
  }

  /** The customer accounts among {@code first} and {@code second}, read in one statement. */
  public Flux<Account> findPair(UUID first, UUID second) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM account WHERE id IN (:first, :second)"
                + " AND kind = 'CUSTOMER'")
        .bind("first", first)
        .bind("second", second)
        .map(AccountStore::map)
        .all();
  }

  public Flux<Account> findByOwner(UUID ownerId) {
    return db.sql("SELECT " + COLUMNS + " FROM account WHERE owner_id = :owner ORDER BY id")
        .bind("owner", ownerId)
        .map(AccountStore::map)
        .all();
  }

  /**
   * Moves the account to {@code target} if it is still in {@code expected} — and, for CLOSED, still
   * holds nothing. Empty when a concurrent change got there first; the caller re-reads and decides.
   */
  public Mono<Account> changeStatus(UUID id, AccountStatus expected, AccountStatus target) {
    return db.sql(
            """
            UPDATE account SET status = :target
             WHERE id = :id AND kind = 'CUSTOMER' AND status = :expected
               AND (:target <> 'CLOSED' OR balance = 0)
            RETURNING """
                + " "
                + COLUMNS)
        .bind("id", id)
        .bind("expected", expected.name())
        .bind("target", target.name())
        .map(AccountStore::map)
        .one();
  }

  public static Account map(Readable row) {
    return new Account(
        row.get("id", UUID.class),
        row.get("owner_id", UUID.class),
        Currency.getInstance(row.get("currency", String.class)),
        row.get("balance", Long.class),
        AccountStatus.valueOf(row.get("status", String.class)),
        Timestamps.instant(row.get("created_at", Instant.class)));
  }

  static UUID newSystemAccountId() {
    return Ids.newId();
  }
}
