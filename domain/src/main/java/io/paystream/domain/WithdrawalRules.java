package io.paystream.domain;

import java.util.UUID;

/**
 * The checks a withdrawal passes before anything moves, from the same policies as a transfer's: the
 * per-payment limit, the account (visible to the requester, ACTIVE, its currency, its funds), then
 * the daily and velocity limits, which count withdrawals and transfers alike as outgoing payments.
 * Pure: the caller holds the account's row lock while it decides and writes.
 */
public final class WithdrawalRules {

  private WithdrawalRules() {}

  /**
   * The account after the withdrawal's debit, or why the withdrawal is refused.
   *
   * @param account the account, or null when it does not exist
   * @param history its recent outgoing payments; may be null when the currency has no daily or
   *     velocity limit ({@link TransferLimits#needsHistory})
   */
  public static Decision<Account> decide(
      Account account,
      UUID requestedBy,
      boolean asOps,
      Money amount,
      TransferLimits limits,
      OutgoingHistory history) {
    if (account == null || !account.isMovableBy(requestedBy, asOps)) {
      return Decision.refused(Rejection.ACCOUNT_NOT_FOUND, "account not found");
    }
    return limits.payOut(account, amount, history);
  }
}
