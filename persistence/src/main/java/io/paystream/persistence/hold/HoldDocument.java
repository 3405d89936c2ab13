package io.paystream.persistence.hold;

import io.paystream.domain.Hold;
import io.paystream.domain.HoldStatus;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A hold as clients see it (CONTRACT.md, Holds), in responses, events and webhooks.
 *
 * @param capturedAmount what the capture transferred; null unless CAPTURED
 * @param transferId the capture's transfer; null unless CAPTURED
 */
public record HoldDocument(
    UUID id,
    UUID fromAccountId,
    UUID toAccountId,
    long amount,
    String currency,
    String description,
    Map<String, String> metadata,
    String status,
    Long capturedAmount,
    UUID transferId,
    Instant expiresAt,
    Instant createdAt,
    Instant updatedAt) {

  public static HoldDocument of(Hold hold) {
    return new HoldDocument(
        hold.id(),
        hold.fromAccountId(),
        hold.toAccountId(),
        hold.amount().minorUnits(),
        hold.amount().currencyCode(),
        hold.description(),
        hold.metadata().asMap(),
        hold.status().name(),
        hold.capturedAmount(),
        hold.transferId(),
        hold.expiresAt(),
        hold.createdAt(),
        hold.updatedAt());
  }

  /**
   * The hold this document describes.
   *
   * @throws IllegalArgumentException if it describes no valid hold
   */
  public Hold toHold() {
    try {
      return new Hold(
          id,
          fromAccountId,
          toAccountId,
          Money.of(amount, currency),
          description,
          metadata == null ? Metadata.NONE : Metadata.of(metadata),
          HoldStatus.valueOf(status),
          capturedAmount,
          transferId,
          expiresAt,
          createdAt,
          updatedAt);
    } catch (NullPointerException | IllegalStateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hold: " + e.getMessage(), e);
    }
  }
}
