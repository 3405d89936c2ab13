package io.paystream.domain;

import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A customer account: one currency, a balance in minor units that is never negative, a status. The
 * policies here answer "may this happen?" with a {@link Rejection}; the database's conditional
 * UPDATE is what makes the answer hold under concurrency.
 */
public record Account(
    UUID id,
    UUID ownerId,
    Currency currency,
    long balance,
    AccountStatus status,
    Instant createdAt) {

  public Account {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    if (balance < 0) {
      throw new IllegalStateException("account " + id + " has a negative balance: " + balance);
    }
  }

  public static Account open(UUID ownerId, Currency currency, Instant now) {
    return new Account(Ids.newId(), ownerId, currency, 0L, AccountStatus.ACTIVE, now);
  }

  public boolean isOwnedBy(UUID userId) {
    return ownerId.equals(userId);
  }

  /** Why this account may not pay out {@code amount}, if it may not. */
  public Optional<Rejection> refusesDebit(Money amount) {
    if (status != AccountStatus.ACTIVE) {
      return Optional.of(Rejection.ACCOUNT_NOT_ACTIVE);
    }
    if (!currency.equals(amount.currency())) {
      return Optional.of(Rejection.CURRENCY_MISMATCH);
    }
    if (balance < amount.minorUnits()) {
      return Optional.of(Rejection.INSUFFICIENT_FUNDS);
    }
    return Optional.empty();
  }

  /** Why this account may not receive {@code amount}, if it may not. */
  public Optional<Rejection> refusesCredit(Money amount) {
    if (status != AccountStatus.ACTIVE) {
      return Optional.of(Rejection.ACCOUNT_NOT_ACTIVE);
    }
    if (!currency.equals(amount.currency())) {
      return Optional.of(Rejection.CURRENCY_MISMATCH);
    }
    return Optional.empty();
  }

  /** Who asks for a status change. */
  public enum Actor {
    /** The account's owner, a customer. */
    OWNER,
    /** An operator (OPS role). */
    OPERATOR
  }

  /**
   * Why this account may not move to {@code target} at the request of {@code actor}, if it may not.
   * A freeze is an operator's decision, so while an account is frozen only an operator may change
   * its status, closing included.
   */
  public Optional<Rejection> refusesStatus(AccountStatus target, Actor actor) {
    if (status == target) {
      return Optional.empty();
    }
    if (!status.canMoveTo(target) || status == AccountStatus.FROZEN && actor != Actor.OPERATOR) {
      return Optional.of(Rejection.ACCOUNT_NOT_ACTIVE);
    }
    if (target == AccountStatus.CLOSED && balance != 0) {
      return Optional.of(Rejection.BALANCE_NOT_ZERO);
    }
    return Optional.empty();
  }
}
