package io.paystream.persistence.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as it travels: written to the outbox in the transaction that caused it, sent to Kafka
 * under {@code key}, and decoded by consumers. {@code data} is the resource's public JSON.
 *
 * @param type one of the contract's event names, e.g. {@code transfer.pending}
 */
public record OutboxEvent(UUID eventId, String type, String key, Instant occurredAt, String data) {

  public OutboxEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(data, "data");
  }
}
