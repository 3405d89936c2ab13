package io.paystream.persistence.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Every statement that changes a customer balance, one per kind of change, each written once. The
 * domain decides a change on the locked row ({@code Account.debit}, {@code credit}, {@code
 * giveBack}); the statement carries it out with the decision's conditions in its {@code WHERE}
 * clause and its {@code RETURNING} balance checked against the decided one. Anything else means the
 * decision did not hold (a missing lock, a concurrent writer): the statement fails with {@link
 * IllegalStateException} and the transaction rolls back. The CHECK constraint behind it refuses a
 * negative balance whatever the code does. Call inside the transaction that locked the rows.
 */
@Repository
public class AccountBalances {

  /**
   * A decided change of one account's balance.
   *
   * @param delta minor units moved, always positive: taken out by a debit, put in by a credit or a
   *     give-back
   * @param balanceAfter the balance the decision leaves, which the statement must land on
   */
  public record Change(UUID accountId, long delta, long balanceAfter) {
    public Change {
      Objects.requireNonNull(accountId, "accountId");
      if (delta <= 0 || balanceAfter < 0) {
        throw new IllegalArgumentException(
            "a change of " + accountId + " by " + delta + " to " + balanceAfter);
      }
    }
  }

  private final DatabaseClient db;

  public AccountBalances(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Takes each change's delta out of an ACTIVE account whose available balance (not held) covers
   * it.
   */
  public Mono<Void> debit(List<Change> changes) {
    return apply(
        changes,
        """
        UPDATE account a SET balance = a.balance - c.delta
          FROM unnest(:ids::uuid[], :deltas::bigint[]) AS c(id, delta)
         WHERE a.id = c.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE'
           AND a.balance - a.held >= c.delta
        RETURNING a.id, a.balance""");
  }

  /**
   * Reserves each change's delta of an ACTIVE account whose available balance covers it (a hold).
   * Here {@link Change#balanceAfter()} is the held amount the decision leaves.
   */
  public Mono<Void> hold(List<Change> changes) {
    return apply(
        changes,
        """
        UPDATE account a SET held = a.held + c.delta
          FROM unnest(:ids::uuid[], :deltas::bigint[]) AS c(id, delta)
         WHERE a.id = c.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE'
           AND a.balance - a.held >= c.delta
        RETURNING a.id, a.held AS balance""");
  }

  /**
   * Releases each change's delta of what an account holds (a hold captured, voided or expired),
   * whatever its status. Here {@link Change#balanceAfter()} is the held amount the decision leaves.
   */
  public Mono<Void> release(List<Change> changes) {
    return apply(
        changes,
        """
        UPDATE account a SET held = a.held - c.delta
          FROM unnest(:ids::uuid[], :deltas::bigint[]) AS c(id, delta)
         WHERE a.id = c.id AND a.kind = 'CUSTOMER' AND a.held >= c.delta
        RETURNING a.id, a.held AS balance""");
  }

  /** Puts each change's delta into an ACTIVE account. */
  public Mono<Void> credit(List<Change> changes) {
    return apply(
        changes,
        """
        UPDATE account a SET balance = a.balance + c.delta
          FROM unnest(:ids::uuid[], :deltas::bigint[]) AS c(id, delta)
         WHERE a.id = c.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE'
        RETURNING a.id, a.balance""");
  }

  /**
   * Gives payers back money debited from them earlier (refunds), whatever their status now: it is
   * their money.
   */
  public Mono<Void> giveBack(List<Change> changes) {
    return apply(
        changes,
        """
        UPDATE account a SET balance = a.balance + c.delta
          FROM unnest(:ids::uuid[], :deltas::bigint[]) AS c(id, delta)
         WHERE a.id = c.id AND a.kind = 'CUSTOMER'
        RETURNING a.id, a.balance""");
  }

  private Mono<Void> apply(List<Change> changes, String sql) {
    if (changes.isEmpty()) {
      return Mono.empty();
    }
    int n = changes.size();
    UUID[] ids = new UUID[n];
    Long[] deltas = new Long[n];
    Map<UUID, Long> decided = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Change change = changes.get(i);
      ids[i] = change.accountId();
      deltas[i] = change.delta();
      if (decided.put(change.accountId(), change.balanceAfter()) != null) {
        throw new IllegalArgumentException(
            "one change per account and statement: " + change.accountId());
      }
    }
    return db.sql(sql)
        .bind("ids", ids)
        .bind("deltas", deltas)
        .map(row -> Map.entry(row.get("id", UUID.class), row.get("balance", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(
            landed ->
                landed.equals(decided)
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "balances landed on " + landed + ", not on the decided " + decided)));
  }
}
