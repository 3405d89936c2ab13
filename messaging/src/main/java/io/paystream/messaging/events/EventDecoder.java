package io.paystream.messaging.events;

import io.paystream.domain.Ids;
import io.paystream.persistence.events.NewEvent;
import io.paystream.persistence.outbox.OutboxEvent;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an outbox event as carried by Kafka into an event-log row: the resource id and the accounts
 * whose streams carry it are read from the resource JSON (a transfer names {@code fromAccountId}
 * and {@code toAccountId}, a deposit or withdrawal {@code accountId}).
 */
@Component
public class EventDecoder {

  private final JsonMapper json;

  public EventDecoder(JsonMapper json) {
    this.json = json;
  }

  /** Empty for a payload that is not a resource event; such a message is skipped, not retried. */
  public Optional<NewEvent> decode(String payload) {
    try {
      OutboxEvent event = json.readValue(payload, OutboxEvent.class);
      JsonNode data = json.readTree(event.data());
      UUID resource = Ids.parse(data.get("id").asString());
      UUID account = optionalId(data, "accountId");
      UUID from = optionalId(data, "fromAccountId");
      UUID to = optionalId(data, "toAccountId");
      return Optional.of(
          new NewEvent(
              event.eventId(),
              event.type(),
              resource,
              account != null ? account : from,
              account != null ? null : to,
              event.data(),
              event.occurredAt()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static UUID optionalId(JsonNode data, String field) {
    JsonNode value = data.get(field);
    return value == null || value.isNull() ? null : Ids.parse(value.asString());
  }
}
