package io.paystream.domain;

/**
 * The checks a transfer passes before anything moves, in the order a client would want to hear
 * about them: two different accounts, one currency, both ACTIVE, the per-transfer limit, the
 * payer's funds, then its daily and velocity limits. Pure: the caller holds the payer's row lock
 * while it decides and writes, and the database re-checks what it writes (the paired check).
 */
public final class TransferRules {

  private TransferRules() {}

  /**
   * The payer after the transfer, or why the transfer is refused.
   *
   * @param history the payer's recent outgoing payments; may be null when the currency has no daily
   *     or velocity limit ({@link TransferLimits#needsHistory})
   */
  public static Decision<Account> decide(
      Account from, Account to, Money amount, TransferLimits limits, OutgoingHistory history) {
    if (from.id().equals(to.id())) {
      return Decision.refused(Rejection.SAME_ACCOUNT, "a transfer needs two different accounts");
    }
    if (!from.currency().equals(amount.currency()) || !to.currency().equals(amount.currency())) {
      return Decision.refused(
          Rejection.CURRENCY_MISMATCH, "both accounts must be in " + amount.currencyCode());
    }
    if (from.status() != AccountStatus.ACTIVE || to.status() != AccountStatus.ACTIVE) {
      return Decision.refused(Rejection.ACCOUNT_NOT_ACTIVE, "both accounts must be ACTIVE");
    }
    return limits.payOut(from, amount, history);
  }
}
