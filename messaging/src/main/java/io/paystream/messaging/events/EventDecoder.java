package io.paystream.messaging.events;

import io.paystream.domain.MoneyEvent;
import io.paystream.messaging.kafka.UndecodableEvents;
import io.paystream.persistence.events.NewEvent;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.EventEnvelope.Received;
import io.paystream.persistence.outbox.UndecodableEventException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a money event as Kafka carries it into an event-log row: its resource and the accounts
 * whose streams carry it come from the typed event ({@link MoneyEvent#accounts()}), its data is the
 * resource's public JSON exactly as it travelled.
 */
@Component
public class EventDecoder {

  private final EventEnvelope envelope;
  private final UndecodableEvents undecodable;

  public EventDecoder(EventEnvelope envelope, UndecodableEvents undecodable) {
    this.envelope = envelope;
    this.undecodable = undecodable;
  }

  /**
   * Empty for a message that is not a money event this version can read: {@code consumer} skips it,
   * and it is counted under that name, not retried (the credit leg dead-letters it).
   */
  public Optional<NewEvent> decode(String payload, String consumer) {
    Received received;
    try {
      received = envelope.read(payload);
    } catch (UndecodableEventException e) {
      undecodable.skipped(consumer, e);
      return Optional.empty();
    }
    MoneyEvent event = received.event();
    List<UUID> accounts = event.accounts();
    return Optional.of(
        new NewEvent(
            event.eventId(),
            event.type(),
            event.resourceId(),
            accounts.get(0),
            accounts.size() > 1 ? accounts.get(1) : null,
            received.data(),
            event.occurredAt()));
  }
}
