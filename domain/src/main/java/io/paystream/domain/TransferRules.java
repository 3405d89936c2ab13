package io.paystream.domain;

import java.util.Optional;

/**
 * The checks a transfer passes before anything moves, in the order a client would want to hear
 * about them. The database re-checks status, currency and funds in the conditional debit itself;
 * these checks give the precise reason and keep doomed requests away from the row lock.
 */
public final class TransferRules {

  private TransferRules() {}

  public static Optional<Rejection> check(
      Account from, Account to, Money amount, TransferLimits limits) {
    if (from.id().equals(to.id())) {
      return Optional.of(Rejection.SAME_ACCOUNT);
    }
    if (!from.currency().equals(amount.currency()) || !to.currency().equals(amount.currency())) {
      return Optional.of(Rejection.CURRENCY_MISMATCH);
    }
    if (from.status() != AccountStatus.ACTIVE || to.status() != AccountStatus.ACTIVE) {
      return Optional.of(Rejection.ACCOUNT_NOT_ACTIVE);
    }
    if (limits.perTransferBreach(amount).isPresent()) {
      return Optional.of(Rejection.LIMIT_EXCEEDED);
    }
    return from.refusesDebit(amount);
  }
}
