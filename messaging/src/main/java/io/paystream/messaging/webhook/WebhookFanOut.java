package io.paystream.messaging.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.domain.MoneyEvent;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.kafka.UndecodableEvents;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.EventEnvelope.Received;
import io.paystream.persistence.outbox.UndecodableEventException;
import io.paystream.persistence.webhook.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns every public event into delivery rows for the webhooks of the accounts' owners, in its own
 * consumer group. Writing a row is idempotent (one per endpoint and event), so a redelivered
 * message needs no inbox. A message that is not an event is logged and skipped: it cannot be
 * delivered to anyone, and the credit leg dead-letters it already.
 *
 * <p>One Kafka poll is one batch ({@link WebhookStore#enqueueAll}): one statement finds the
 * endpoints of all its events, and a second inserts deliveries only if there are any, since most
 * accounts have no webhook. The next poll is requested when the batch is written; its offsets are
 * acknowledged then.
 */
public class WebhookFanOut {

  private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);

  /** The name under which this consumer counts the messages it skips. */
  static final String CONSUMER = "webhook-fan-out";

  private final WebhookStore store;
  private final MessagingProperties messaging;
  private final WebhookProperties properties;
  private final EventEnvelope envelope;
  private final UndecodableEvents undecodable;
  private final JsonMapper json;
  private final Clock clock;
  private final MeterRegistry meters;

  public WebhookFanOut(
      WebhookStore store,
      MessagingProperties messaging,
      WebhookProperties properties,
      EventEnvelope envelope,
      UndecodableEvents undecodable,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.store = store;
    this.messaging = messaging;
    this.properties = properties;
    this.envelope = envelope;
    this.undecodable = undecodable;
    this.json = json;
    this.clock = clock;
    this.meters = meters;
  }

  public Flux<Long> run() {
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(
                MessagingConfiguration.consumerConfig(messaging, properties.consumerGroup()),
                meters)
            .commitInterval(Duration.ofMillis(messaging.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS));
    return KafkaReceiver.create(options)
        .receiveBatch()
        .concatMap(poll -> poll.collectList().flatMap(this::handle), 0);
  }

  private Mono<Long> handle(List<ReceiverRecord<String, String>> poll) {
    List<String> payloads = new ArrayList<>(poll.size());
    for (ReceiverRecord<String, String> record : poll) {
      payloads.add(record.value());
    }
    return Mono.defer(() -> fanOut(payloads))
        .retryWhen(
            Retry.backoff(
                    messaging.creditRetryAttemptsMax(),
                    Duration.ofMillis(messaging.creditRetryBackoffMinMillis()))
                .maxBackoff(Duration.ofMillis(messaging.creditRetryBackoffMaxMillis()))
                .jitter(MessagingProperties.RETRY_JITTER))
        .onErrorResume(
            error -> {
              ReceiverRecord<String, String> first = poll.get(0);
              log.error(
                  "webhook fan-out skips {} messages from {}-{}@{}: {}",
                  poll.size(),
                  first.topic(),
                  first.partition(),
                  first.offset(),
                  error.toString());
              return Mono.just(0L);
            })
        .doOnNext(created -> poll.forEach(record -> record.receiverOffset().acknowledge()));
  }

  /**
   * Creates the deliveries of the messages' events; the count of new rows. A message that is not a
   * money event is counted and left out, so that it cannot hold back the others (the credit leg
   * dead-letters it).
   */
  public Mono<Long> fanOut(List<String> payloads) {
    List<WebhookStore.Enqueued> events = new ArrayList<>(payloads.size());
    for (String payload : payloads) {
      try {
        WebhookStore.Enqueued event = deliverable(envelope.read(payload));
        if (event != null) {
          events.add(event);
        }
      } catch (UndecodableEventException e) {
        undecodable.skipped(CONSUMER, e);
      }
    }
    if (events.isEmpty()) {
      return Mono.just(0L);
    }
    return store.enqueueAll(events, Timestamps.now(clock).plus(properties.retryHorizon()));
  }

  /** The deliveries' event, or null when the event is not a public one. */
  private WebhookStore.Enqueued deliverable(Received received) {
    MoneyEvent event = received.event();
    if (!WebhookEvents.PUBLIC.contains(event.type())) {
      return null;
    }
    ObjectNode body = json.createObjectNode();
    body.put("id", event.eventId().toString());
    body.put("type", event.type());
    body.put("createdAt", event.occurredAt().toString());
    body.set("data", json.readTree(received.data()));
    return new WebhookStore.Enqueued(
        event.eventId(), event.type(), event.accounts(), json.writeValueAsString(body));
  }
}
