package io.paystream.api.webhook;

import io.paystream.api.web.ApiException;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.Page;
import io.paystream.persistence.webhook.WebhookDeliveryQueries;
import io.paystream.persistence.webhook.WebhookDeliveryQueries.DeliveryRow;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Every customer's webhook deliveries, for operators (OPS role, enforced by the security chain on
 * /api/v1/ops/**): what was sent where, how often, and why it failed. Dead ones are replayed
 * through {@code /api/v1/ops/dead-letters}.
 */
@RestController
public class OpsWebhookDeliveryController {

  /** The statuses a delivery row can have (its CHECK constraint). */
  static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "DEAD");

  /**
   * One delivery as operators see it. The table keeps no response status code of its own: a
   * receiver's answer is in {@code lastError} ("receiver answered HTTP 503").
   *
   * @param webhookId the endpoint's id, as its owner knows it from {@code /api/v1/webhooks}
   * @param nextAttemptAt when a PENDING delivery is tried next; null once finished
   * @param finishedAt when it was DELIVERED or became DEAD; null while PENDING
   */
  public record WebhookDeliveryDocument(
      UUID id,
      UUID webhookId,
      String url,
      UUID eventId,
      String eventType,
      String status,
      int attempts,
      String lastError,
      Instant nextAttemptAt,
      Instant createdAt,
      Instant finishedAt) {

    static WebhookDeliveryDocument of(DeliveryRow row) {
      return new WebhookDeliveryDocument(
          row.id(),
          row.endpointId(),
          row.url(),
          row.eventId(),
          row.eventType(),
          row.status(),
          row.attempts(),
          row.lastError(),
          row.nextAttemptAt(),
          row.createdAt(),
          row.finishedAt());
    }
  }

  private final WebhookDeliveryQueries deliveries;
  private final Cursors cursors;

  public OpsWebhookDeliveryController(WebhookDeliveryQueries deliveries, Cursors cursors) {
    this.deliveries = deliveries;
    this.cursors = cursors;
  }

  @GetMapping("/api/v1/ops/webhook-deliveries")
  public Mono<Page<WebhookDeliveryDocument>> deliveries(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) UUID webhookId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.invalid("status", "must be PENDING, DELIVERED or DEAD");
    }
    UUID before = cursors.id(Kind.WEBHOOK_DELIVERIES, cursor);
    return deliveries
        .page(status, webhookId, before, size + 1)
        .map(WebhookDeliveryDocument::of)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.WEBHOOK_DELIVERIES, last.id())));
  }
}
