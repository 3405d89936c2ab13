package io.paystream.persistence.account;

import io.paystream.domain.Account;
import io.paystream.domain.AccountStatus;
import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Customer accounts and the per-currency system accounts: this store opens accounts, locks them for
 * the money paths, and changes status. Balances change only through {@link AccountBalances}.
 */
@Repository
public class AccountStore {

  static final String COLUMNS = "id, owner_id, currency, balance, held, status, created_at";

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

  /**
   * Locks the customer accounts among {@code ids}, in id order, and reads them. Call inside the
   * transaction that decides and writes.
   */
  public Mono<Map<UUID, Account>> lock(Collection<UUID> ids) {
    return lock(ids, List.of());
  }

  /**
   * Locks the customer accounts among {@code locked} in id order, and reads those among {@code
   * read} without a lock, in one statement. Every path that changes balances takes its accounts'
   * locks in id order, so two transactions sharing accounts wait for each other instead of
   * deadlocking. {@code FOR NO KEY UPDATE} is the lock the balance UPDATE takes anyway; {@code FOR
   * UPDATE} would also conflict with the key-share lock a new transfer's foreign key takes on its
   * accounts, and two batches paying each other's accounts would deadlock on it.
   */
  public Mono<Map<UUID, Account>> lock(Collection<UUID> locked, Collection<UUID> read) {
    UUID[] toLock = locked.stream().distinct().sorted().toArray(UUID[]::new);
    UUID[] toRead = read.stream().distinct().toArray(UUID[]::new);
    if (toLock.length == 0 && toRead.length == 0) {
      return Mono.just(Map.of());
    }
    return requireTransaction()
        .then(
            db.sql(
                    """
            WITH locked AS (
                SELECT %1$s FROM account
                 WHERE id = ANY(:locked) AND kind = 'CUSTOMER' ORDER BY id FOR NO KEY UPDATE
            )
            SELECT %1$s FROM locked
             UNION ALL
            SELECT %1$s FROM account
             WHERE id = ANY(:read) AND kind = 'CUSTOMER' AND NOT id = ANY(:locked)"""
                        .formatted(COLUMNS))
                .bind("locked", toLock)
                .bind("read", toRead)
                .map(AccountStore::map)
                .all()
                .collectMap(Account::id));
  }

  /**
   * Fails with {@link IllegalStateException} unless a transaction is active: outside one, a row
   * lock is released as soon as its statement ends, and a decision taken on the row would not hold
   * when the balance statement runs.
   */
  private static Mono<Void> requireTransaction() {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .filter(TransactionSynchronizationManager::isActualTransactionActive)
        .onErrorResume(NoTransactionException.class, none -> Mono.empty())
        .switchIfEmpty(
            Mono.error(
                () ->
                    new IllegalStateException(
                        "accounts are locked only inside a transaction; run this from the"
                            + " application service that owns it")))
        .then();
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
        row.get("held", Long.class),
        AccountStatus.valueOf(row.get("status", String.class)),
        Timestamps.instant(row.get("created_at", Instant.class)));
  }

  static UUID newSystemAccountId() {
    return Ids.newId();
  }
}
