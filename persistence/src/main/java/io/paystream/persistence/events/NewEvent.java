package io.paystream.persistence.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An event about to be sequenced: an {@link EventLogRow} without its position yet. */
public record NewEvent(
    UUID eventId,
    String type,
    UUID resourceId,
    UUID accountId,
    UUID otherAccountId,
    String data,
    Instant occurredAt) {

  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}
