package io.paystream.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Simulated funding: money that entered a customer account from the currency's WORLD account. It is
 * complete when it exists; there is no other state.
 *
 * @param reference the client's free text, or null
 * @param metadata the client's labels
 */
public record Deposit(
    UUID id, UUID accountId, Money amount, String reference, Metadata metadata, Instant createdAt) {

  public Deposit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
