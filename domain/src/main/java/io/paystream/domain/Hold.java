package io.paystream.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Money reserved on a payer's account for one payee (a two-phase transfer): while {@code HELD}, the
 * payer's available balance is that much lower and no debit can spend it, though the balance itself
 * does not move. It ends exactly once: {@code CAPTURED} into a transfer of {@code capturedAmount}
 * (up to the amount; the rest is released), {@code VOIDED}, or {@code EXPIRED} at {@code
 * expiresAt}.
 *
 * @param capturedAmount what the capture transferred; null unless CAPTURED
 * @param transferId the capture's transfer; null unless CAPTURED
 */
public record Hold(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    Money amount,
    String description,
    Metadata metadata,
    HoldStatus status,
    Long capturedAmount,
    UUID transferId,
    Instant expiresAt,
    Instant createdAt,
    Instant updatedAt) {

  /** The longest a hold may last, and how long one lasts when its request names no expiry. */
  public static final Duration DURATION_MAX = Duration.ofDays(7);

  public Hold {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fromAccountId, "fromAccountId");
    Objects.requireNonNull(toAccountId, "toAccountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (fromAccountId.equals(toAccountId)) {
      throw new IllegalStateException("hold " + id + " from an account to itself");
    }
    boolean captured = status == HoldStatus.CAPTURED;
    if (captured != (transferId != null) || captured != (capturedAmount != null)) {
      throw new IllegalStateException(
          "hold " + id + " in " + status + " with capture " + capturedAmount + " " + transferId);
    }
    if (capturedAmount != null && (capturedAmount < 1 || capturedAmount > amount.minorUnits())) {
      throw new IllegalStateException(
          "hold " + id + " of " + amount + " captured " + capturedAmount);
    }
  }

  /**
   * Why this hold cannot be captured or voided now, if it cannot: it already left HELD, or its
   * expiry has passed (the sweep may not have marked it yet; it is expired all the same).
   */
  public Refusal refusesToEnd(Instant now) {
    return switch (status) {
      case CAPTURED ->
          Refusal.of(Rejection.HOLD_CAPTURED, "hold " + id + " was captured by " + transferId);
      case VOIDED -> Refusal.of(Rejection.HOLD_VOIDED, "hold " + id + " was voided");
      case EXPIRED -> Refusal.of(Rejection.HOLD_EXPIRED, "hold " + id + " expired at " + expiresAt);
      case HELD ->
          now.isBefore(expiresAt)
              ? null
              : Refusal.of(Rejection.HOLD_EXPIRED, "hold " + id + " expired at " + expiresAt);
    };
  }
}
