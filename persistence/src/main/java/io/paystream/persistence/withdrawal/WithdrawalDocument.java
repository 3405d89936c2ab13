package io.paystream.persistence.withdrawal;

import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.Withdrawal;
import io.paystream.domain.WithdrawalStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A withdrawal as clients see it (CONTRACT.md, Money movement), in responses and in events. {@code
 * destination} is the masked IBAN: this document is stored as the idempotent answer and travels
 * through Kafka, SSE and webhooks, none of which should carry a whole account number.
 */
public record WithdrawalDocument(
    UUID id,
    UUID accountId,
    long amount,
    String currency,
    String destination,
    Map<String, String> metadata,
    String status,
    String failureReason,
    String externalReference,
    Instant createdAt,
    Instant updatedAt) {

  public static WithdrawalDocument of(Withdrawal withdrawal) {
    return new WithdrawalDocument(
        withdrawal.id(),
        withdrawal.accountId(),
        withdrawal.amount().minorUnits(),
        withdrawal.amount().currencyCode(),
        withdrawal.maskedDestination(),
        withdrawal.metadata().asMap(),
        withdrawal.status().name(),
        withdrawal.failureReason(),
        withdrawal.externalReference(),
        withdrawal.createdAt(),
        withdrawal.updatedAt());
  }

  /**
   * The withdrawal this document describes (with its masked destination).
   *
   * @throws IllegalArgumentException if it describes no valid withdrawal
   */
  public Withdrawal toWithdrawal() {
    try {
      return new Withdrawal(
          id,
          accountId,
          Money.of(amount, currency),
          destination,
          metadata == null ? Metadata.NONE : Metadata.of(metadata),
          WithdrawalStatus.valueOf(status),
          failureReason,
          externalReference,
          createdAt,
          updatedAt);
    } catch (NullPointerException | IllegalStateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a withdrawal: " + e.getMessage(), e);
    }
  }
}
