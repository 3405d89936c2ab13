package io.paystream.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A movement between two customer accounts of one currency. Created {@code PENDING} when the
 * payer's debit commits; becomes {@code COMPLETED} when the payee is credited, or {@code FAILED}
 * (with a reason) when the credit cannot be applied and the payer is refunded. Nothing else.
 */
public record Transfer(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    Money amount,
    String description,
    Metadata metadata,
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
      Instant now) {
    return new Transfer(
        Ids.newId(),
        fromAccountId,
        toAccountId,
        amount,
        description,
        metadata,
        TransferStatus.PENDING,
        null,
        now,
        now);
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
        TransferStatus.FAILED,
        reason,
        createdAt,
        now);
  }
}
