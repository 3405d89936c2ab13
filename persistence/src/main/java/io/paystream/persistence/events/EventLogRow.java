package io.paystream.persistence.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One sequenced event as the SSE streams send it.
 *
 * @param seq the stream position and SSE {@code id}: strictly increasing in commit order
 * @param type one of the contract's event names, e.g. {@code transfer.completed}
 * @param resourceId the transfer, deposit or withdrawal the event is about
 * @param accountId an account whose stream carries the event (the payer of a transfer)
 * @param otherAccountId the second such account (the payee of a transfer), or null
 * @param data the resource's public JSON
 * @param occurredAt when the business transaction that caused the event ran
 * @param traceParent the W3C traceparent of the trace that caused the event, so that a delivery
 *     joins it; null for none. Never sent to clients.
 */
public record EventLogRow(
    long seq,
    UUID eventId,
    String type,
    UUID resourceId,
    UUID accountId,
    UUID otherAccountId,
    String data,
    Instant occurredAt,
    String traceParent) {

  /** A row that continues no trace. */
  public EventLogRow(
      long seq,
      UUID eventId,
      String type,
      UUID resourceId,
      UUID accountId,
      UUID otherAccountId,
      String data,
      Instant occurredAt) {
    this(seq, eventId, type, resourceId, accountId, otherAccountId, data, occurredAt, null);
  }

  public EventLogRow {
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be positive: " + seq);
    }
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /** Whether an account's stream carries this event. */
  public boolean concernsAccount(UUID account) {
    return account.equals(accountId) || account.equals(otherAccountId);
  }

  /** A terminal event ends a resource's stream: nothing follows it for that resource. */
  public boolean isTerminal() {
    return type.endsWith(".completed") || type.endsWith(".failed");
  }
}
