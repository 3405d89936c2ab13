package io.paystream.persistence.transfer;

import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A transfer as clients see it (CONTRACT.md, Money movement), in responses and in events. {@code
 * metadata} is absent from events written before it existed; such a transfer has none. {@code
 * refundOf} names the transfer a refund gives back, null for any other.
 */
public record TransferDocument(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    long amount,
    String currency,
    String description,
    Map<String, String> metadata,
    UUID refundOf,
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
        transfer.metadata().asMap(),
        transfer.refundOf(),
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
          metadata == null ? Metadata.NONE : Metadata.of(metadata),
          refundOf,
          TransferStatus.valueOf(status),
          failureReason,
          createdAt,
          updatedAt);
    } catch (NullPointerException | IllegalStateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a transfer: " + e.getMessage(), e);
    }
  }
}
