package io.paystream.persistence.webhook;

import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Webhook endpoints and their deliveries. A delivery row is created once per (endpoint, event),
 * however often the event is consumed; the worker claims due rows with {@code SKIP LOCKED}, so
 * several instances share the work, and each claim pushes {@code next_attempt_at} forward by a
 * lease, so a worker that dies mid-delivery only delays it.
 */
@Repository
public class WebhookStore {

  static final String ENDPOINT_COLUMNS = "id, owner_id, url, events, created_at";

  private final DatabaseClient db;
  private final Clock clock;

  public WebhookStore(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** An endpoint as its owner sees it; the secret is shown only once, at creation. */
  public record Endpoint(
      UUID id, UUID ownerId, String url, List<String> events, Instant createdAt) {}

  /** A claimed delivery with what the worker needs to send it. */
  public record Delivery(
      UUID id,
      UUID endpointId,
      UUID eventId,
      String eventType,
      String url,
      byte[] secretSealed,
      String payload,
      int attempts,
      Instant horizonAt) {}

  /** A dead-lettered delivery, for operators. */
  public record DeadDelivery(
      UUID id,
      UUID endpointId,
      UUID eventId,
      String eventType,
      String url,
      int attempts,
      String lastError,
      Instant createdAt,
      Instant deadAt) {}

  public Mono<Endpoint> create(
      UUID id, UUID ownerId, String url, List<String> events, byte[] secretSealed) {
    Instant now = Timestamps.now(clock);
    return db.sql(
            """
            INSERT INTO webhook_endpoint (id, owner_id, url, events, secret_sealed, created_at)
            VALUES (:id, :owner, :url, :events, :secret, :at)""")
        .bind("id", id)
        .bind("owner", ownerId)
        .bind("url", url)
        .bind("events", events.toArray(String[]::new))
        .bind("secret", ByteBuffer.wrap(secretSealed))
        .bind("at", now)
        .fetch()
        .rowsUpdated()
        .thenReturn(new Endpoint(id, ownerId, url, List.copyOf(events), now));
  }

  /**
   * Stores an endpoint's secret sealed again (under a newer key), only if the row still holds
   * {@code expected}: false when another instance did it first or the endpoint is gone. Safe to
   * repeat.
   */
  public Mono<Boolean> replaceSealedSecret(UUID id, byte[] expected, byte[] replacement) {
    return db.sql(
            """
            UPDATE webhook_endpoint SET secret_sealed = :replacement
             WHERE id = :id AND secret_sealed = :expected""")
        .bind("replacement", ByteBuffer.wrap(replacement))
        .bind("id", id)
        .bind("expected", ByteBuffer.wrap(expected))
        .fetch()
        .rowsUpdated()
        .map(updated -> updated == 1);
  }

  public Flux<Endpoint> list(UUID ownerId) {
    return db.sql(
            "SELECT "
                + ENDPOINT_COLUMNS
                + " FROM webhook_endpoint"
                + " WHERE owner_id = :owner AND deleted_at IS NULL ORDER BY id")
        .bind("owner", ownerId)
        .map(WebhookStore::endpoint)
        .all();
  }

  /** Deletes the owner's endpoint (its pending deliveries stop); false if it is not theirs. */
  public Mono<Boolean> delete(UUID id, UUID ownerId) {
    Instant now = Timestamps.now(clock);
    return db.sql(
            """
            WITH gone AS (
                UPDATE webhook_endpoint SET deleted_at = :at
                 WHERE id = :id AND owner_id = :owner AND deleted_at IS NULL
                RETURNING id
            ), stopped AS (
                UPDATE webhook_delivery SET status = 'DEAD', last_error = 'endpoint deleted',
                                            finished_at = :at
                 WHERE endpoint_id IN (SELECT id FROM gone) AND status = 'PENDING'
            )
            SELECT count(*) AS n FROM gone""")
        .bind("at", now)
        .bind("id", id)
        .bind("owner", ownerId)
        .map(row -> row.get("n", Long.class))
        .one()
        .map(n -> n == 1);
  }

  /** One event of {@link #enqueueAll}, and the accounts whose owners' webhooks may want it. */
  public record Enqueued(UUID eventId, String type, List<UUID> accountIds, String payload) {

    public Enqueued {
      accountIds = List.copyOf(accountIds);
    }
  }

  /**
   * One delivery per event and live endpoint of the accounts' owners that subscribed to the event's
   * type (exactly, or by its family {@code "transfer.*"}). One statement finds the endpoints of all
   * the events, and one more inserts their deliveries only when there are any, so events nobody
   * subscribed to (most of them) cost one round trip per batch, not one per event. Idempotent: a
   * redelivered event adds nothing. Returns how many deliveries were created.
   */
  public Mono<Long> enqueueAll(List<Enqueued> events, Instant horizonAt) {
    List<Integer> indexes = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> families = new ArrayList<>();
    List<UUID> accounts = new ArrayList<>();
    for (int n = 0; n < events.size(); n++) {
      Enqueued event = events.get(n);
      for (UUID account : event.accountIds()) {
        indexes.add(n);
        types.add(event.type());
        families.add(family(event.type()));
        accounts.add(account);
      }
    }
    if (accounts.isEmpty()) {
      return Mono.just(0L);
    }
    Instant now = Timestamps.now(clock);
    return db.sql(
            """
            SELECT DISTINCT ev.n, e.id
              FROM unnest(:indexes::int[], :types::text[], :families::text[], :accounts::uuid[])
                   AS ev(n, type, family, account_id)
              JOIN account a ON a.id = ev.account_id AND a.owner_id IS NOT NULL
              JOIN webhook_endpoint e ON e.owner_id = a.owner_id AND e.deleted_at IS NULL
                   AND (ev.type = ANY (e.events) OR ev.family = ANY (e.events))
             ORDER BY ev.n, e.id""")
        .bind("indexes", indexes.toArray(Integer[]::new))
        .bind("types", types.toArray(String[]::new))
        .bind("families", families.toArray(String[]::new))
        .bind("accounts", accounts.toArray(UUID[]::new))
        .map(row -> Map.entry(row.get("n", Integer.class), row.get("id", UUID.class)))
        .all()
        .collectList()
        .flatMap(
            matches ->
                matches.isEmpty()
                    ? Mono.just(0L)
                    : insertDeliveries(events, matches, now, horizonAt));
  }

  private Mono<Long> insertDeliveries(
      List<Enqueued> events,
      List<Map.Entry<Integer, UUID>> matches,
      Instant now,
      Instant horizonAt) {
    int size = matches.size();
    UUID[] ids = new UUID[size];
    UUID[] endpoints = new UUID[size];
    UUID[] eventIds = new UUID[size];
    String[] types = new String[size];
    String[] payloads = new String[size];
    for (int i = 0; i < size; i++) {
      Enqueued event = events.get(matches.get(i).getKey());
      // Ids from the application: time-ordered like every other id (PostgreSQL 15 has no v7).
      ids[i] = Ids.newId();
      endpoints[i] = matches.get(i).getValue();
      eventIds[i] = event.eventId();
      types[i] = event.type();
      payloads[i] = event.payload();
    }
    return db.sql(
            """
            INSERT INTO webhook_delivery (id, endpoint_id, event_id, event_type, payload, status,
                                          attempts, next_attempt_at, horizon_at, created_at)
            SELECT id, endpoint_id, event_id, event_type, payload, 'PENDING', 0, :now, :horizon,
                   :now
              FROM unnest(:ids::uuid[], :endpoints::uuid[], :eventIds::uuid[], :types::text[],
                          :payloads::text[]) AS d(id, endpoint_id, event_id, event_type, payload)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING""")
        .bind("ids", ids)
        .bind("endpoints", endpoints)
        .bind("eventIds", eventIds)
        .bind("types", types)
        .bind("payloads", payloads)
        .bind("now", now)
        .bind("horizon", horizonAt)
        .fetch()
        .rowsUpdated();
  }

  /** The wildcard subscription that covers {@code type}: "transfer.completed" -> "transfer.*". */
  private static String family(String type) {
    return type.substring(0, type.indexOf('.') + 1) + "*";
  }

  /** Locks up to {@code limit} due deliveries and leases them until {@code leaseUntil}. */
  public Flux<Delivery> claimDue(Instant leaseUntil, int limit) {
    return db.sql(
            """
            UPDATE webhook_delivery d SET next_attempt_at = :lease, attempts = d.attempts + 1
              FROM webhook_endpoint e
             WHERE d.id IN (SELECT id FROM webhook_delivery
                             WHERE status = 'PENDING' AND next_attempt_at <= :now
                             ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
               AND e.id = d.endpoint_id
            RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, e.url, e.secret_sealed,
                      d.payload, d.attempts, d.horizon_at""")
        .bind("lease", leaseUntil)
        .bind("now", Timestamps.now(clock))
        .bind("limit", limit)
        .map(
            row ->
                new Delivery(
                    row.get("id", UUID.class),
                    row.get("endpoint_id", UUID.class),
                    row.get("event_id", UUID.class),
                    row.get("event_type", String.class),
                    row.get("url", String.class),
                    bytes(row.get("secret_sealed")),
                    row.get("payload", String.class),
                    row.get("attempts", Integer.class),
                    Timestamps.instant(row.get("horizon_at", Instant.class))))
        .all();
  }

  public Mono<Void> delivered(UUID id) {
    return db.sql(
            """
            UPDATE webhook_delivery SET status = 'DELIVERED', last_error = NULL, finished_at = :at
             WHERE id = :id AND status = 'PENDING'""")
        .bind("at", Timestamps.now(clock))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> retryAt(UUID id, Instant next, String error) {
    return db.sql(
            """
            UPDATE webhook_delivery SET next_attempt_at = :next, last_error = :error
             WHERE id = :id AND status = 'PENDING'""")
        .bind("next", next)
        .bind("error", Parameters.in(R2dbcType.VARCHAR, error))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Void> deadLetter(UUID id, String error) {
    return db.sql(
            """
            UPDATE webhook_delivery SET status = 'DEAD', last_error = :error, finished_at = :at
             WHERE id = :id AND status = 'PENDING'""")
        .bind("error", Parameters.in(R2dbcType.VARCHAR, error))
        .bind("at", Timestamps.now(clock))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Dead deliveries, newest first, strictly before {@code beforeId} when given. */
  public Flux<DeadDelivery> dead(UUID beforeId, int limit) {
    String position = beforeId == null ? "" : " AND d.id < :before";
    var spec =
        db.sql(
                """
            SELECT d.id, d.endpoint_id, d.event_id, d.event_type, e.url, d.attempts,
                   d.last_error, d.created_at, d.finished_at
              FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
             WHERE d.status = 'DEAD' AND e.deleted_at IS NULL"""
                    + position
                    + " ORDER BY d.id DESC LIMIT :limit")
            .bind("limit", limit);
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(
            row ->
                new DeadDelivery(
                    row.get("id", UUID.class),
                    row.get("endpoint_id", UUID.class),
                    row.get("event_id", UUID.class),
                    row.get("event_type", String.class),
                    row.get("url", String.class),
                    row.get("attempts", Integer.class),
                    row.get("last_error", String.class),
                    Timestamps.instant(row.get("created_at", Instant.class)),
                    Timestamps.instant(row.get("finished_at", Instant.class))))
        .all();
  }

  /** Gives a dead delivery a fresh horizon and makes it due now; false if it is not dead. */
  public Mono<Boolean> replay(UUID id, Instant horizonAt) {
    return db.sql(
            """
            UPDATE webhook_delivery d SET status = 'PENDING', next_attempt_at = :now,
                                          horizon_at = :horizon, finished_at = NULL
              FROM webhook_endpoint e
             WHERE d.id = :id AND d.status = 'DEAD' AND e.id = d.endpoint_id
               AND e.deleted_at IS NULL""")
        .bind("now", Timestamps.now(clock))
        .bind("horizon", horizonAt)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /** Deliveries of one endpoint, for tests and support: (event type, status, attempts). */
  public Flux<String> describeDeliveries(UUID endpointId) {
    return db.sql(
            """
            SELECT event_type || ':' || status || ':' || attempts AS d FROM webhook_delivery
             WHERE endpoint_id = :id ORDER BY created_at""")
        .bind("id", endpointId)
        .map(row -> row.get("d", String.class))
        .all();
  }

  static Endpoint endpoint(Readable row) {
    return new Endpoint(
        row.get("id", UUID.class),
        row.get("owner_id", UUID.class),
        row.get("url", String.class),
        Arrays.asList(row.get("events", String[].class)),
        Timestamps.instant(row.get("created_at", Instant.class)));
  }

  private static byte[] bytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      return copy;
    }
    if (value instanceof byte[] array) {
      return array;
    }
    throw new IllegalStateException("unexpected bytea value " + value);
  }
}
