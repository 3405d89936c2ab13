package io.paystream.persistence.account;

import io.paystream.domain.Money;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Every statement that changes a customer balance. None reads and then writes: each is one
 * conditional UPDATE, so concurrent movements on one account cannot lose an update or spend the
 * same money twice, and the CHECK constraint still refuses a negative balance. Each emits the
 * balance after the change, or nothing when its condition does not hold (the caller decides what
 * that means). Call inside the transaction that records the matching journal.
 */
@Repository
public class AccountBalances {

  private final DatabaseClient db;

  public AccountBalances(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Takes {@code amount} out of an ACTIVE account of its currency that holds at least that much.
   */
  public Mono<Long> debit(UUID accountId, Money amount) {
    return db.sql(
            """
            UPDATE account SET balance = balance - :amount
             WHERE id = :id AND kind = 'CUSTOMER' AND status = 'ACTIVE'
               AND currency = :currency AND balance >= :amount
            RETURNING balance""")
        .bind("amount", amount.minorUnits())
        .bind("id", accountId)
        .bind("currency", amount.currencyCode())
        .map(row -> row.get("balance", Long.class))
        .one();
  }

  /** Puts {@code amount} into an ACTIVE account of its currency. */
  public Mono<Long> credit(UUID accountId, Money amount) {
    return db.sql(
            """
            UPDATE account SET balance = balance + :amount
             WHERE id = :id AND kind = 'CUSTOMER' AND status = 'ACTIVE' AND currency = :currency
            RETURNING balance""")
        .bind("amount", amount.minorUnits())
        .bind("id", accountId)
        .bind("currency", amount.currencyCode())
        .map(row -> row.get("balance", Long.class))
        .one();
  }

  /**
   * Gives a payer back money debited from it earlier (a refund), whatever the account's status now:
   * it is the payer's money. Empty only if the account does not exist.
   */
  public Mono<Long> giveBack(UUID accountId, Money amount) {
    return db.sql(
            """
            UPDATE account SET balance = balance + :amount
             WHERE id = :id AND kind = 'CUSTOMER'
            RETURNING balance""")
        .bind("amount", amount.minorUnits())
        .bind("id", accountId)
        .map(row -> row.get("balance", Long.class))
        .one();
  }
}
