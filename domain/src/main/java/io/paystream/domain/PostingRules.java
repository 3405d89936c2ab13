package io.paystream.domain;

import java.util.List;
import java.util.UUID;

/**
 * The double-entry shape of every money movement. Customer money never appears or vanishes: it
 * comes from the per-currency {@code world} system account (deposits) and crosses between customers
 * through the per-currency {@code transit} account, so that the debit and the credit of a transfer
 * can commit in separate transactions and the ledger still balances after each.
 */
public final class PostingRules {

  private PostingRules() {}

  /** Simulated funding: world -> account. */
  public static Journal deposit(UUID depositId, UUID world, UUID account, Money amount) {
    return journal(JournalKind.DEPOSIT, depositId, world, account, amount);
  }

  /** The accept step of a transfer: payer -> transit. */
  public static Journal transferDebit(UUID transferId, UUID payer, UUID transit, Money amount) {
    return journal(JournalKind.TRANSFER_DEBIT, transferId, payer, transit, amount);
  }

  /** The credit leg of a transfer: transit -> payee. */
  public static Journal transferCredit(UUID transferId, UUID transit, UUID payee, Money amount) {
    return journal(JournalKind.TRANSFER_CREDIT, transferId, transit, payee, amount);
  }

  /** The credit leg could not be applied: transit -> payer, the whole amount. */
  public static Journal transferRefund(UUID transferId, UUID transit, UUID payer, Money amount) {
    return journal(JournalKind.TRANSFER_REFUND, transferId, transit, payer, amount);
  }

  /** The accept step of a withdrawal: payer -> payout, where it waits for the provider. */
  public static Journal withdrawalDebit(UUID withdrawalId, UUID payer, UUID payout, Money amount) {
    return journal(JournalKind.WITHDRAWAL_DEBIT, withdrawalId, payer, payout, amount);
  }

  /** The provider paid: payout -> world, the money has left the system. */
  public static Journal withdrawalPayout(UUID withdrawalId, UUID payout, UUID world, Money amount) {
    return journal(JournalKind.WITHDRAWAL_PAYOUT, withdrawalId, payout, world, amount);
  }

  /** The provider refused: payout -> payer, the whole amount. */
  public static Journal withdrawalRefund(UUID withdrawalId, UUID payout, UUID payer, Money amount) {
    return journal(JournalKind.WITHDRAWAL_REFUND, withdrawalId, payout, payer, amount);
  }

  private static Journal journal(
      JournalKind kind, UUID movementId, UUID from, UUID to, Money amount) {
    return new Journal(
        Ids.newId(),
        kind,
        movementId,
        List.of(
            new Posting(from, Direction.DEBIT, amount), new Posting(to, Direction.CREDIT, amount)));
  }
}
