package io.paystream.messaging.events;

import io.paystream.domain.MoneyEvent;
import io.paystream.persistence.events.NewEvent;
import java.util.List;
import java.util.UUID;

/**
 * Turns a money event into an event-log row: its resource and the accounts whose streams carry it
 * come from the typed event ({@link MoneyEvent#accounts()}), its data is the resource's public JSON
 * exactly as it travelled (or, for an event made in the same pass, as it would have).
 */
public final class NewEvents {

  private NewEvents() {}

  /** The row of {@code event}, continuing the trace {@code traceParent} names (null for none). */
  public static NewEvent of(MoneyEvent event, String data, String traceParent) {
    List<UUID> accounts = event.accounts();
    return new NewEvent(
        event.eventId(),
        event.type(),
        event.resourceId(),
        accounts.get(0),
        accounts.size() > 1 ? accounts.get(1) : null,
        data,
        event.occurredAt(),
        traceParent);
  }
}
