package io.paystream.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Money leaving the system from a customer account through the payout provider. The payer is
 * debited into the currency's PAYOUT account when the withdrawal is accepted ({@code PENDING}); it
 * is {@code PROCESSING} while the provider is asked; {@code COMPLETED} carries the provider's
 * reference (PAYOUT -> WORLD), {@code FAILED} a reason (PAYOUT -> payer, the money returned).
 *
 * <p>The destination is held elsewhere, encrypted; here only its masked form travels.
 */
public record Withdrawal(
    UUID id,
    UUID accountId,
    Money amount,
    String maskedDestination,
    Metadata metadata,
    WithdrawalStatus status,
    String failureReason,
    String externalReference,
    Instant createdAt,
    Instant updatedAt) {

  public Withdrawal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(maskedDestination, "maskedDestination");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(status, "status");
    if ((status == WithdrawalStatus.FAILED)
        != (failureReason != null && !failureReason.isBlank())) {
      throw new IllegalStateException(
          "withdrawal " + id + " in " + status + " with failure reason " + failureReason);
    }
    if ((status == WithdrawalStatus.COMPLETED) != (externalReference != null)) {
      throw new IllegalStateException(
          "withdrawal " + id + " in " + status + " with external reference " + externalReference);
    }
  }

  /**
   * @param id chosen by the caller before the destination is encrypted, because the ciphertext is
   *     bound to it (see the persistence module)
   */
  public static Withdrawal accept(
      UUID id, UUID accountId, Money amount, Iban destination, Metadata metadata, Instant now) {
    return new Withdrawal(
        id,
        accountId,
        amount,
        destination.masked(),
        metadata,
        WithdrawalStatus.PENDING,
        null,
        null,
        now,
        now);
  }

  public Withdrawal processing(Instant now) {
    status.requireCanMoveTo(WithdrawalStatus.PROCESSING);
    return with(WithdrawalStatus.PROCESSING, null, null, now);
  }

  public Withdrawal complete(String reference, Instant now) {
    status.requireCanMoveTo(WithdrawalStatus.COMPLETED);
    Objects.requireNonNull(reference, "reference");
    return with(WithdrawalStatus.COMPLETED, null, reference, now);
  }

  public Withdrawal fail(String reason, Instant now) {
    status.requireCanMoveTo(WithdrawalStatus.FAILED);
    Objects.requireNonNull(reason, "reason");
    return with(WithdrawalStatus.FAILED, reason, null, now);
  }

  private Withdrawal with(WithdrawalStatus next, String reason, String reference, Instant now) {
    return new Withdrawal(
        id,
        accountId,
        amount,
        maskedDestination,
        metadata,
        next,
        reason,
        reference,
        createdAt,
        now);
  }
}
