package io.paystream.persistence.deposit;

import io.paystream.domain.Deposit;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A deposit as clients see it (CONTRACT.md, Money movement), in responses and in events. */
public record DepositDocument(
    UUID id,
    UUID accountId,
    long amount,
    String currency,
    String reference,
    Map<String, String> metadata,
    String status,
    Instant createdAt) {

  /** A deposit is complete when it exists. */
  static final String COMPLETED = "COMPLETED";

  public static DepositDocument of(Deposit deposit) {
    return new DepositDocument(
        deposit.id(),
        deposit.accountId(),
        deposit.amount().minorUnits(),
        deposit.amount().currencyCode(),
        deposit.reference(),
        deposit.metadata().asMap(),
        COMPLETED,
        deposit.createdAt());
  }

  /**
   * The deposit this document describes.
   *
   * @throws IllegalArgumentException if it describes no valid deposit
   */
  public Deposit toDeposit() {
    if (!COMPLETED.equals(status)) {
      throw new IllegalArgumentException("a deposit is COMPLETED, not " + status);
    }
    try {
      return new Deposit(
          id,
          accountId,
          Money.of(amount, currency),
          reference,
          metadata == null ? Metadata.NONE : Metadata.of(metadata),
          createdAt);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a deposit: " + e.getMessage(), e);
    }
  }
}
