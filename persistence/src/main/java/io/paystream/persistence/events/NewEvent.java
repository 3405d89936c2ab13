package io.paystream.persistence.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event about to be sequenced: an {@link EventLogRow} without its position yet. {@code
 * traceParent} is the W3C traceparent of the Kafka record it came in, null for none (see {@link
 * EventLogRow}).
 */
public record NewEvent(
    UUID eventId,
    String type,
    UUID resourceId,
    UUID accountId,
    UUID otherAccountId,
    String data,
    Instant occurredAt,
    String traceParent) {

  /** An event that continues no trace. */
  public NewEvent(
      UUID eventId,
      String type,
      UUID resourceId,
      UUID accountId,
      UUID otherAccountId,
      String data,
      Instant occurredAt) {
    this(eventId, type, resourceId, accountId, otherAccountId, data, occurredAt, null);
  }

  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /** This event, continuing the trace {@code traceParent} names. */
  public NewEvent withTraceParent(String traceParent) {
    return new NewEvent(
        eventId, type, resourceId, accountId, otherAccountId, data, occurredAt, traceParent);
  }
}
