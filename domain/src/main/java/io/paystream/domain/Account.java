package io.paystream.domain;

import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A customer account: one currency, a balance in minor units that is never negative, the part of it
 * reserved by holds ({@code held}, never more than the balance), a status. The policies here answer
 * "may this happen?" with a {@link Rejection}; the database's conditional UPDATE is what makes the
 * answer hold under concurrency.
 */
public record Account(
    UUID id,
    UUID ownerId,
    Currency currency,
    long balance,
    long held,
    AccountStatus status,
    Instant createdAt) {

  /**
   * The most an account may hold: 10^18 minor units, a thousand times the largest single amount
   * ({@link Money#AMOUNT_MAX}) and far below {@code Long.MAX_VALUE}, so a balance and any amount
   * always add up without overflow.
   */
  public static final long BALANCE_MAX = 1_000_000_000_000_000_000L;

  public Account {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    if (balance < 0) {
      throw new IllegalStateException("account " + id + " has a negative balance: " + balance);
    }
    if (held < 0 || held > balance) {
      throw new IllegalStateException(
          "account " + id + " holds " + held + " of a balance of " + balance);
    }
  }

  public static Account open(UUID ownerId, Currency currency, Instant now) {
    return new Account(Ids.newId(), ownerId, currency, 0L, 0L, AccountStatus.ACTIVE, now);
  }

  /** What can be spent: the balance less what holds reserve. */
  public long availableBalance() {
    return balance - held;
  }

  public boolean isOwnedBy(UUID userId) {
    return ownerId.equals(userId);
  }

  /**
   * Whether {@code requestedBy} may move this account's money: its owner, or an operator. Anyone
   * else is answered as if the account did not exist.
   */
  public boolean isMovableBy(UUID requestedBy, boolean asOps) {
    return asOps || isOwnedBy(requestedBy);
  }

  /**
   * The debit of {@code amount}: this account with that much less, or why not (not ACTIVE, another
   * currency, too little money that is not held).
   */
  public Decision<Account> debit(Money amount) {
    return movable(amount)
        .then(
            account ->
                availableBalance() < amount.minorUnits()
                    ? Decision.refused(Rejection.INSUFFICIENT_FUNDS, insufficient(amount))
                    : Decision.allowed(withBalance(balance - amount.minorUnits())));
  }

  /**
   * A hold of {@code amount}: this account with that much more reserved, or why not, as for a debit
   * of the same amount.
   */
  public Decision<Account> hold(Money amount) {
    return movable(amount)
        .then(
            account ->
                availableBalance() < amount.minorUnits()
                    ? Decision.refused(Rejection.INSUFFICIENT_FUNDS, insufficient(amount))
                    : Decision.allowed(
                        new Account(
                            id,
                            ownerId,
                            currency,
                            balance,
                            held + amount.minorUnits(),
                            status,
                            createdAt)));
  }

  /**
   * This account with a hold of {@code amount} released: what it reserved can be spent again.
   *
   * @throws IllegalStateException if the account does not hold that much: a bug
   */
  public Account release(long amount) {
    if (amount <= 0 || amount > held) {
      throw new IllegalStateException(
          "account " + id + " holds " + held + " and cannot release " + amount);
    }
    return new Account(id, ownerId, currency, balance, held - amount, status, createdAt);
  }

  private String insufficient(Money amount) {
    return held == 0
        ? "the balance does not cover " + amount
        : "the available balance ("
            + availableBalance()
            + " of "
            + balance
            + " not held) does not"
            + " cover "
            + amount;
  }

  /**
   * The credit of {@code amount}: this account with that much more, or why not (not ACTIVE, another
   * currency, or the balance would pass {@link #BALANCE_MAX}).
   */
  public Decision<Account> credit(Money amount) {
    return movable(amount)
        .then(
            account ->
                balance > BALANCE_MAX - amount.minorUnits()
                    ? Decision.refused(
                        RiskLimit.BALANCE_MAX.refusal(
                            "the account cannot hold more than " + BALANCE_MAX + " minor units"))
                    : Decision.allowed(withBalance(balance + amount.minorUnits())));
  }

  /**
   * Money debited from this account earlier, given back (a refund): whatever the account's status
   * now, because it is the payer's money.
   *
   * @throws IllegalArgumentException for another currency: a refund in another currency is a bug
   */
  public Account giveBack(Money amount) {
    if (!currency.equals(amount.currency())) {
      throw new IllegalArgumentException(
          "a refund of " + amount + " to account " + id + " in " + currency.getCurrencyCode());
    }
    return withBalance(Math.addExact(balance, amount.minorUnits()));
  }

  /** This account if money of {@code amount}'s currency may move in or out of it now. */
  private Decision<Account> movable(Money amount) {
    if (status != AccountStatus.ACTIVE) {
      return Decision.refused(Rejection.ACCOUNT_NOT_ACTIVE, "the account is " + status);
    }
    if (!currency.equals(amount.currency())) {
      return Decision.refused(
          Rejection.CURRENCY_MISMATCH, "the account holds " + currency.getCurrencyCode());
    }
    return Decision.allowed(this);
  }

  private Account withBalance(long newBalance) {
    return new Account(id, ownerId, currency, newBalance, held, status, createdAt);
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
  public Optional<Refusal> refusesStatus(AccountStatus target, Actor actor) {
    if (status == target) {
      return Optional.empty();
    }
    if (status == AccountStatus.FROZEN && actor != Actor.OPERATOR) {
      return Optional.of(
          Refusal.of(
              Rejection.ACCOUNT_NOT_ACTIVE,
              "the account is FROZEN; only an operator can change its status"));
    }
    if (!status.canMoveTo(target)) {
      return Optional.of(Refusal.of(Rejection.ACCOUNT_NOT_ACTIVE, "the account is " + status));
    }
    if (target == AccountStatus.CLOSED && balance != 0) {
      return Optional.of(
          Refusal.of(
              Rejection.BALANCE_NOT_ZERO, "the account still holds " + balance + " minor units"));
    }
    return Optional.empty();
  }
}
