package io.paystream.persistence.webhook;

import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/**
 * Webhook deliveries as operators list them: read-only, no locks, newest first (ids are
 * time-ordered). {@link WebhookStore} owns every write. Filtered by status or by endpoint, the page
 * is read from {@code webhook_delivery_status_idx} or {@code webhook_delivery_endpoint_idx} (V10),
 * in id order, so a page costs its own rows however many deliveries there are.
 */
@Repository
public class WebhookDeliveryQueries {

  private final DatabaseClient db;

  public WebhookDeliveryQueries(DatabaseClient db) {
    this.db = db;
  }

  /**
   * One delivery: an event for one endpoint, as the table holds it.
   *
   * @param status PENDING (waiting for its next attempt), DELIVERED or DEAD
   * @param attempts attempts made so far (a claim counts one)
   * @param lastError why the last attempt failed ({@code receiver answered HTTP 503}, a connection
   *     error, a refused address); null when none failed or the delivery succeeded
   * @param nextAttemptAt when a PENDING delivery is due; null once it is DELIVERED or DEAD
   * @param finishedAt when it became DELIVERED or DEAD; null while PENDING
   */
  public record DeliveryRow(
      UUID id,
      UUID endpointId,
      String url,
      UUID eventId,
      String eventType,
      String status,
      int attempts,
      String lastError,
      Instant nextAttemptAt,
      Instant createdAt,
      Instant finishedAt) {}

  /**
   * Deliveries newest first, strictly before {@code beforeId} when given, optionally only those in
   * {@code status} or only those of one endpoint.
   */
  public Flux<DeliveryRow> page(String status, UUID endpointId, UUID beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            """
            SELECT d.id, d.endpoint_id, e.url, d.event_id, d.event_type, d.status, d.attempts,
                   d.last_error, d.next_attempt_at, d.created_at, d.finished_at
              FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
             WHERE true""");
    if (status != null) {
      sql.append(" AND d.status = :status");
    }
    if (endpointId != null) {
      sql.append(" AND d.endpoint_id = :endpoint");
    }
    if (beforeId != null) {
      sql.append(" AND d.id < :before");
    }
    sql.append(" ORDER BY d.id DESC LIMIT :limit");
    GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (status != null) {
      spec = spec.bind("status", status);
    }
    if (endpointId != null) {
      spec = spec.bind("endpoint", endpointId);
    }
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(WebhookDeliveryQueries::map).all();
  }

  private static DeliveryRow map(Readable row) {
    String status = row.get("status", String.class);
    return new DeliveryRow(
        row.get("id", UUID.class),
        row.get("endpoint_id", UUID.class),
        row.get("url", String.class),
        row.get("event_id", UUID.class),
        row.get("event_type", String.class),
        status,
        row.get("attempts", Integer.class),
        row.get("last_error", String.class),
        // The column is NOT NULL and keeps its last value; it means something only while pending.
        "PENDING".equals(status)
            ? Timestamps.instant(row.get("next_attempt_at", Instant.class))
            : null,
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("finished_at", Instant.class)));
  }
}
