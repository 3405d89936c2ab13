package io.paystream.api.deadletter;

import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.Page;
import io.paystream.messaging.deadletter.DeadLetters;
import io.paystream.messaging.webhook.WebhookProperties;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.deadletter.DeadLetterStore;
import io.paystream.persistence.deadletter.DeadLetterStore.DeadLetter;
import io.paystream.persistence.webhook.WebhookStore;
import io.paystream.persistence.webhook.WebhookStore.DeadDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Dead letters for operators (OPS role, enforced by the security chain on /api/v1/ops/**): Kafka
 * messages no consumer could apply ({@code KAFKA}) and webhook deliveries that ran out of retries
 * ({@code WEBHOOK}), newest first. Replay sends a Kafka message back to the event topic (the
 * consumers' inboxes make that safe), or makes a webhook delivery due again with a fresh horizon.
 */
@RestController
public class DeadLetterController {

  /**
   * One dead letter; fields that do not apply to its kind are null.
   *
   * @param kind {@code KAFKA} or {@code WEBHOOK}
   */
  public record DeadLetterDocument(
      UUID id,
      String kind,
      String error,
      Instant createdAt,
      String source,
      String consumer,
      String key,
      String payload,
      Instant replayedAt,
      UUID endpointId,
      String url,
      UUID eventId,
      String eventType,
      Integer attempts) {

    static DeadLetterDocument of(DeadLetter letter) {
      return new DeadLetterDocument(
          letter.id(),
          "KAFKA",
          letter.error(),
          letter.createdAt(),
          letter.source(),
          letter.consumer(),
          letter.key(),
          letter.payload(),
          letter.replayedAt(),
          null,
          null,
          null,
          null,
          null);
    }

    static DeadLetterDocument of(DeadDelivery delivery) {
      return new DeadLetterDocument(
          delivery.id(),
          "WEBHOOK",
          delivery.lastError(),
          delivery.deadAt(),
          null,
          null,
          null,
          null,
          null,
          delivery.endpointId(),
          delivery.url(),
          delivery.eventId(),
          delivery.eventType(),
          delivery.attempts());
    }
  }

  public record Replayed(UUID id, String kind) {}

  private final DeadLetterStore kafka;
  private final WebhookStore webhooks;
  private final DeadLetters deadLetters;
  private final WebhookProperties webhookProperties;
  private final Clock clock;
  private final Cursors cursors;

  public DeadLetterController(
      DeadLetterStore kafka,
      WebhookStore webhooks,
      DeadLetters deadLetters,
      WebhookProperties webhookProperties,
      Clock clock,
      Cursors cursors) {
    this.cursors = cursors;
    this.kafka = kafka;
    this.webhooks = webhooks;
    this.deadLetters = deadLetters;
    this.webhookProperties = webhookProperties;
    this.clock = clock;
  }

  /** Both kinds merged by id (ids are time-ordered), one page of them. */
  @GetMapping("/api/v1/ops/dead-letters")
  public Mono<Page<DeadLetterDocument>> list(
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    UUID before = cursors.id(Kind.DEAD_LETTERS, cursor);
    return kafka
        .page(before, size + 1)
        .map(DeadLetterDocument::of)
        .collectList()
        .zipWith(webhooks.dead(before, size + 1).map(DeadLetterDocument::of).collectList())
        .map(
            both -> {
              List<DeadLetterDocument> merged = new ArrayList<>(both.getT1());
              merged.addAll(both.getT2());
              merged.sort(Comparator.comparing(DeadLetterDocument::id).reversed());
              return Page.of(merged, size, last -> cursors.of(Kind.DEAD_LETTERS, last.id()));
            });
  }

  @PostMapping("/api/v1/ops/dead-letters/{id}/replay")
  public Mono<ResponseEntity<Replayed>> replay(@PathVariable UUID id) {
    Mono<Replayed> asKafka =
        kafka
            .find(id)
            .flatMap(letter -> deadLetters.replay(letter).thenReturn(new Replayed(id, "KAFKA")));
    Mono<Replayed> asWebhook =
        Mono.defer(
            () ->
                webhooks
                    .replay(id, Timestamps.now(clock).plus(webhookProperties.retryHorizon()))
                    .filter(replayed -> replayed)
                    .map(replayed -> new Replayed(id, "WEBHOOK")));
    return asKafka
        .switchIfEmpty(asWebhook)
        .map(replayed -> ResponseEntity.status(HttpStatus.ACCEPTED).body(replayed))
        .switchIfEmpty(
            Mono.error(() -> new ApiException(ApiError.NOT_FOUND, "no dead letter with this id")));
  }
}
