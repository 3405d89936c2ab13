package io.paystream.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A movement between two customer accounts of one currency. Created {@code PENDING} when the
 * payer's debit commits; becomes {@code COMPLETED} when the payee is credited, or {@code FAILED}
 * (with a reason) when the credit cannot be applied and the payer is refunded. Nothing else.
 *
 * <p>A refund is a transfer too, back from the payee to the payer of a {@code COMPLETED} transfer,
 * which it names in {@code refundOf} (null for any other transfer). It completes or fails like any
 * transfer.
 */
public record Transfer(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    Money amount,
    String description,
    Metadata metadata,
    UUID refundOf,
    TransferStatus status,
    String failureReason,
    Instant createdAt,
    Instant updatedAt) {

  /** Longest description kept; longer ones are refused at the edge. */
  public static final int DESCRIPTION_LENGTH_MAX = 140;

  public Transfer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fromAccountId, "fromAccountId");
    Objects.requireNonNull(toAccountId, "toAccountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(status, "status");
    if (id.equals(refundOf)) {
      throw new IllegalStateException("transfer " + id + " refunds itself");
    }
    if (fromAccountId.equals(toAccountId)) {
      throw new IllegalStateException("transfer " + id + " from an account to itself");
    }
    if ((status == TransferStatus.FAILED) != (failureReason != null && !failureReason.isBlank())) {
      throw new IllegalStateException(
          "transfer " + id + " in " + status + " with failure reason " + failureReason);
    }
  }

  public static Transfer accept(
      UUID fromAccountId,
      UUID toAccountId,
      Money amount,
      String description,
      Metadata metadata,
      UUID refundOf,
      Instant now) {
    return new Transfer(
        Ids.newId(),
        fromAccountId,
        toAccountId,
        amount,
        description,
        metadata,
        refundOf,
        TransferStatus.PENDING,
        null,
        now,
        now);
  }

  public boolean isRefund() {
    return refundOf != null;
  }

  public Transfer complete(Instant now) {
    status.requireCanMoveTo(TransferStatus.COMPLETED);
    return new Transfer(
        id,
        fromAccountId,
        toAccountId,
        amount,
        description,
        metadata,
        refundOf,
        TransferStatus.COMPLETED,
        null,
        createdAt,
        now);
  }

  public Transfer fail(String reason, Instant now) {
    status.requireCanMoveTo(TransferStatus.FAILED);
    Objects.requireNonNull(reason, "reason");
    return new Transfer(
        id,
        fromAccountId,
        toAccountId,
        amount,
        description,
        metadata,
        refundOf,
        TransferStatus.FAILED,
        reason,
        createdAt,
        now);
  }
}
