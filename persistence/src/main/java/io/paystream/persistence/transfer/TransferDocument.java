package io.paystream.persistence.transfer;

import io.paystream.domain.Money;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
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

  /**
   * The transfer this document describes.
   *
   * @throws IllegalArgumentException if it describes no valid transfer
   */
  public Transfer toTransfer() {
    try {
      return new Transfer(
          id,
          fromAccountId,
          toAccountId,
          Money.of(amount, currency),
          description,
          TransferStatus.valueOf(status),
          failureReason,
          createdAt,
          updatedAt);
    } catch (NullPointerException | IllegalStateException e) {
      throw new IllegalArgumentException("not a transfer: " + e.getMessage(), e);
    }
  }
}
