package io.paystream.persistence.outbox;

import io.paystream.domain.MoneyEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox of money events: written in the transaction that caused them (through
 * the one {@link EventEnvelope}), and raising a NOTIFY that PostgreSQL delivers only if that
 * transaction commits, waking the relay. Which Kafka topic a row goes to is the relay's business.
 */
@Repository
public class OutboxStore {

  /** The LISTEN/NOTIFY channel the relay listens on. */
  public static final String CHANNEL = "paystream_outbox";

  private final DatabaseClient db;
  private final EventEnvelope envelope;
  private final JsonMapper json;

  public OutboxStore(DatabaseClient db, EventEnvelope envelope, JsonMapper json) {
    this.db = db;
    this.envelope = envelope;
    this.json = json;
  }

  /** {@link #appendAll} for one event. */
  public Mono<Void> append(MoneyEvent event) {
    return appendAll(List.of(event));
  }

  /**
   * Writes the events in one statement (one round trip), inserted in list order so that the relay
   * publishes them in that order, and raises one NOTIFY for all, which PostgreSQL delivers only if
   * the transaction commits. Call inside the transaction that caused the events. Each row carries
   * the trace {@link TraceParents} in the Reactor context names for its event, if any.
   */
  public Mono<Void> appendAll(List<MoneyEvent> events) {
    if (events.isEmpty()) {
      return Mono.empty();
    }
    return Mono.deferContextual(context -> insert(events, TraceParents.in(context)));
  }

  private Mono<Void> insert(List<MoneyEvent> events, TraceParents traces) {
    int n = events.size();
    UUID[] eventIds = new UUID[n];
    String[] keys = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] createdAt = new String[n];
    String[] traceParents = new String[n];
    for (int i = 0; i < n; i++) {
      traceParents[i] = traces.of(events.get(i));
      OutboxEvent event = envelope.write(events.get(i));
      eventIds[i] = event.eventId();
      keys[i] = event.key();
      types[i] = event.type();
      payloads[i] = json.writeValueAsString(event);
      createdAt[i] = event.occurredAt().toString();
    }
    return db.sql(
            """
            WITH o AS (
                INSERT INTO outbox (event_id, message_key, event_type, payload, created_at,
                                    trace_parent)
                SELECT event_id, message_key, event_type, payload, created_at, trace_parent
                  FROM unnest(:eventIds::uuid[], :keys::text[], :types::text[],
                              :payloads::text[], :createdAt::timestamptz[],
                              :traceParents::text[])
                       WITH ORDINALITY AS x(event_id, message_key, event_type, payload,
                                            created_at, trace_parent, n)
                 ORDER BY n
            )
            SELECT pg_notify('"""
                + CHANNEL
                + "', '')")
        .bind("eventIds", eventIds)
        .bind("keys", keys)
        .bind("types", types)
        .bind("payloads", payloads)
        .bind("createdAt", createdAt)
        .bind("traceParents", traceParents)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Locks up to {@code limit} unsent rows in id order, skipping rows another relay holds. Call it
   * inside a transaction and mark what was sent before committing; an abort leaves them unsent.
   */
  public Flux<OutboxRow> lockUnsent(int limit) {
    return db.sql(
            """
            SELECT id, message_key, event_type, payload, trace_parent FROM outbox
             WHERE sent_at IS NULL ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""")
        .bind("limit", limit)
        .map(
            row ->
                new OutboxRow(
                    row.get("id", Long.class),
                    row.get("message_key", String.class),
                    row.get("event_type", String.class),
                    row.get("payload", String.class),
                    row.get("trace_parent", String.class)))
        .all();
  }

  public Mono<Long> markSent(List<Long> ids, Instant at) {
    return db.sql("UPDATE outbox SET sent_at = :at WHERE id = ANY(:ids)")
        .bind("at", at)
        .bind("ids", ids.toArray(Long[]::new))
        .fetch()
        .rowsUpdated();
  }

  /** Rows written but not yet sent: the relay's backlog, a health and alerting signal. */
  public Mono<Long> backlog() {
    return db.sql("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /**
   * The lowest id of a row sent at or after {@code since}; empty when there is none. The relay
   * sends in id order, so the rows below it were (nearly all) sent before {@code since}: a purge
   * that stops here reads no row it must keep. Reads the primary key from its low end up to that
   * row, through the rows being purged and the unsent backlog only.
   */
  public Mono<Long> firstIdSentSince(Instant since) {
    return db.sql("SELECT min(id) AS id FROM outbox WHERE sent_at >= :since")
        .bind("since", since)
        .map(row -> Optional.ofNullable(row.get("id", Long.class)))
        .one()
        .flatMap(Mono::justOrEmpty);
  }

  /**
   * Deletes at most {@code limit} rows sent before {@code sentBefore} whose ids lie strictly
   * between {@code afterId} and {@code untilId}, lowest id first, in one short statement of its
   * own. Rows another transaction holds (another instance's purge) are skipped, not waited for, so
   * every instance may purge at once. Unsent rows are never deleted. Safe to retry.
   */
  public Mono<PurgedBatch> purgeSentBatch(
      Instant sentBefore, long afterId, long untilId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return db.sql(
            """
            WITH doomed AS (
                SELECT id FROM outbox
                 WHERE id > :after AND id < :until
                   AND sent_at IS NOT NULL AND sent_at < :before
                 ORDER BY id
                 LIMIT :limit
                   FOR UPDATE SKIP LOCKED
            ), deleted AS (
                DELETE FROM outbox o USING doomed d WHERE o.id = d.id RETURNING o.id
            )
            SELECT count(*) AS n, max(id) AS last_id FROM deleted""")
        .bind("after", afterId)
        .bind("until", untilId)
        .bind("before", sentBefore)
        .bind("limit", limit)
        .map(
            row -> {
              Long last = row.get("last_id", Long.class);
              return new PurgedBatch(row.get("n", Long.class), last == null ? afterId : last);
            })
        .one();
  }

  /**
   * What one {@link #purgeSentBatch} deleted: {@code rows} rows, the highest of them {@code lastId}
   * (the {@code afterId} it was given when none), where the next batch starts.
   */
  public record PurgedBatch(long rows, long lastId) {}

  /**
   * A row as sent: {@code payload} is the JSON of its {@link OutboxEvent}; {@code traceParent} the
   * W3C traceparent of the span that wrote it, null when none did ({@link TraceParents}).
   */
  public record OutboxRow(long id, String key, String type, String payload, String traceParent) {}
}
