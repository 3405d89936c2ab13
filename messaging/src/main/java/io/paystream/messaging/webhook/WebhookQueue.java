package io.paystream.messaging.webhook;

import io.paystream.persistence.Timestamps;
import io.paystream.persistence.events.NewEvent;
import io.paystream.persistence.webhook.WebhookStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Turns public events into delivery rows for the webhooks of the accounts' owners, inside the
 * transaction that sequences them (the credit leg's pass), so a delivery exists exactly when its
 * event does. Writing a row is idempotent (one per endpoint and event), so a redelivered event adds
 * nothing. One statement finds the endpoints of all the events ({@link WebhookStore#enqueueAll}),
 * and a second inserts deliveries only if there are any, since most accounts have no webhook.
 */
public class WebhookQueue {

  private final WebhookStore store;
  private final WebhookProperties properties;
  private final Clock clock;

  public WebhookQueue(WebhookStore store, WebhookProperties properties, Clock clock) {
    this.store = store;
    this.properties = properties;
    this.clock = clock;
  }

  /** Queues the deliveries of {@code events} (public ones; others are left out); the new rows. */
  public Mono<Long> enqueue(List<NewEvent> events) {
    List<WebhookStore.Enqueued> deliverable = new ArrayList<>(events.size());
    for (NewEvent event : events) {
      if (WebhookEvents.PUBLIC.contains(event.type())) {
        deliverable.add(
            new WebhookStore.Enqueued(event.eventId(), event.type(), accounts(event), body(event)));
      }
    }
    if (deliverable.isEmpty()) {
      return Mono.just(0L);
    }
    return Mono.defer(
        () -> store.enqueueAll(deliverable, Timestamps.now(clock).plus(properties.retryHorizon())));
  }

  private static List<java.util.UUID> accounts(NewEvent event) {
    return event.otherAccountId() == null
        ? List.of(event.accountId())
        : List.of(event.accountId(), event.otherAccountId());
  }

  /**
   * The body a subscriber receives: {@code {"id", "type", "createdAt", "data"}}, {@code data} the
   * resource's public JSON as it travelled. Written as text: the three leading values are a UUID,
   * an event name and an ISO-8601 instant, none of which needs escaping, and {@code data} is JSON
   * already, so nothing is parsed and encoded again for each event.
   */
  static String body(NewEvent event) {
    return "{\"id\":\""
        + event.eventId()
        + "\",\"type\":\""
        + event.type()
        + "\",\"createdAt\":\""
        + event.occurredAt()
        + "\",\"data\":"
        + event.data()
        + "}";
  }
}
