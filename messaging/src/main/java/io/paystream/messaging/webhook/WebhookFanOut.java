package io.paystream.messaging.webhook;

import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.outbox.Topics;
import io.paystream.persistence.webhook.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns every public event into delivery rows for the webhooks of the accounts' owners, in its
 * own consumer group. Writing a row is idempotent (one per endpoint and event), so a redelivered
 * message needs no inbox. A message that is not an event is logged and skipped: it cannot be
 * delivered to anyone, and the credit leg dead-letters it already.
 */
public class WebhookFanOut {

  private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);

  /** The resource fields that name the accounts an event concerns. */
  private static final List<String> ACCOUNT_FIELDS = List.of("accountId", "fromAccountId",
      "toAccountId");

  private final WebhookStore store;
  private final MessagingProperties messaging;
  private final WebhookProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  public WebhookFanOut(WebhookStore store, MessagingProperties messaging,
      WebhookProperties properties, JsonMapper json, Clock clock) {
    this.store = store;
    this.messaging = messaging;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  public Flux<Long> run() {
    ReceiverOptions<String, String> options = ReceiverOptions.<String, String>create(
            MessagingConfiguration.consumerConfig(messaging, properties.consumerGroup()))
        .commitInterval(Duration.ofMillis(messaging.consumerCommitIntervalMillis()))
        .subscription(List.of(Topics.EVENTS));
    return KafkaReceiver.create(options).receive()
        .groupBy(record -> record.receiverOffset().topicPartition())
        .flatMap(partition -> partition.concatMap(this::handle), Integer.MAX_VALUE);
  }

  private Mono<Long> handle(ReceiverRecord<String, String> record) {
    return Mono.defer(() -> fanOut(record.value()))
        .retryWhen(Retry.backoff(messaging.creditRetryAttemptsMax(),
                Duration.ofMillis(messaging.creditRetryBackoffMinMillis()))
            .maxBackoff(Duration.ofMillis(messaging.creditRetryBackoffMaxMillis()))
            .jitter(0.5)
            .filter(error -> !(error instanceof IllegalArgumentException)))
        .onErrorResume(error -> {
          log.error("webhook fan-out skips {}-{}@{}: {}", record.topic(), record.partition(),
              record.offset(), error.toString());
          return Mono.just(0L);
        })
        .doOnNext(created -> record.receiverOffset().acknowledge());
  }

  /** Creates the deliveries of one message; the count of new rows. */
  public Mono<Long> fanOut(String payload) {
    OutboxEvent event;
    JsonNode data;
    try {
      event = json.readValue(payload, OutboxEvent.class);
      data = json.readTree(event.data());
    } catch (RuntimeException e) {
      return Mono.error(new IllegalArgumentException("not an event: " + e.getMessage(), e));
    }
    if (!WebhookEvents.PUBLIC.contains(event.type())) {
      return Mono.just(0L);
    }
    List<UUID> accounts = new ArrayList<>();
    for (String field : ACCOUNT_FIELDS) {
      if (data.hasNonNull(field)) {
        accounts.add(UUID.fromString(data.get(field).asString()));
      }
    }
    if (accounts.isEmpty()) {
      return Mono.just(0L);
    }
    ObjectNode body = json.createObjectNode();
    body.put("id", event.eventId().toString());
    body.put("type", event.type());
    body.put("createdAt", event.occurredAt().toString());
    body.set("data", data);
    return store.enqueue(event.eventId(), event.type(), accounts, json.writeValueAsString(body),
        Timestamps.now(clock).plus(properties.retryHorizon()));
  }
}
