package io.paystream.domain;

/** What a journal records; each kind has exactly one posting rule in {@link PostingRules}. */
public enum JournalKind {
  DEPOSIT,
  TRANSFER_DEBIT,
  TRANSFER_CREDIT,
  TRANSFER_REFUND,
  WITHDRAWAL_DEBIT,
  WITHDRAWAL_PAYOUT,
  WITHDRAWAL_REFUND
}
