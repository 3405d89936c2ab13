package io.paystream.persistence.transfer;

import io.paystream.domain.Transfer;
import java.time.Instant;
import java.util.UUID;

/** A transfer as clients see it (CONTRACT.md, Money movement), in responses and in events. */
public record TransferDocument(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    long amount,
    String currency,
    String description,
    String status,
    String failureReason,
    Instant createdAt,
    Instant updatedAt) {

  public static TransferDocument of(Transfer transfer) {
    return new TransferDocument(
        transfer.id(),
        transfer.fromAccountId(),
        transfer.toAccountId(),
        transfer.amount().minorUnits(),
        transfer.amount().currencyCode(),
        transfer.description(),
        transfer.status().name(),
        transfer.failureReason(),
        transfer.createdAt(),
        transfer.updatedAt());
  }
}
