package io.paystream.persistence.events;

import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The event log behind the SSE streams (see V3__live_status.sql for why it exists).
 *
 * <p>{@link #append} is the only writer. It takes a transaction-level advisory lock before it draws
 * sequence numbers, so appending transactions commit one at a time and a row's seq is smaller than
 * that of every row made visible after it: reading {@code seq > n} never misses a row that commits
 * later. Retried appends of the same event id are no-ops.
 */
@Repository
public class EventLogStore {

  /** The LISTEN/NOTIFY channel raised when new rows are committed. */
  public static final String CHANNEL = "paystream_events";

  /**
   * The advisory lock key serialising appends: an arbitrary constant ("PSEVENTS" in ASCII hex,
   * truncated to fit a signed bigint) that no other part of the system uses.
   */
  static final long EVENT_LOG_LOCK = 0x50534556454E5453L;

  private static final String COLUMNS =
      "seq, event_id, event_type, resource_id, account_id,"
          + " other_account_id, data, occurred_at, trace_parent";

  private final DatabaseClient db;
  private final TransactionalOperator transaction;

  public EventLogStore(DatabaseClient db, TransactionalOperator transaction) {
    this.db = db;
    this.transaction = transaction;
  }

  /**
   * Sequences {@code events} in list order in one transaction and raises a NOTIFY that is delivered
   * at commit. Safe to retry: an event id already in the log is skipped. Emits the number of rows
   * inserted.
   */
  public Mono<Long> append(List<NewEvent> events, Instant sequencedAt) {
    if (events.isEmpty()) {
      return Mono.just(0L);
    }
    // One statement for the whole batch: the lock is held for one round trip, not one per event.
    // The first of two copies of an event wins (a redelivery inside one batch).
    Map<UUID, NewEvent> unique = new LinkedHashMap<>();
    events.forEach(event -> unique.putIfAbsent(event.eventId(), event));
    int n = unique.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    UUID[] resources = new UUID[n];
    UUID[] accounts = new UUID[n];
    UUID[] others = new UUID[n];
    String[] data = new String[n];
    String[] occurred = new String[n];
    String[] traceParents = new String[n];
    int i = 0;
    for (NewEvent event : unique.values()) {
      ids[i] = event.eventId();
      types[i] = event.type();
      resources[i] = event.resourceId();
      accounts[i] = event.accountId();
      others[i] = event.otherAccountId();
      data[i] = event.data();
      occurred[i] = event.occurredAt().toString();
      traceParents[i] = event.traceParent();
      i++;
    }
    Mono<Long> flow =
        db.sql("SELECT pg_advisory_xact_lock(:lock)")
            .bind("lock", EVENT_LOG_LOCK)
            .fetch()
            .rowsUpdated()
            .then(
                db.sql(
                        """
                WITH inserted AS (
                    INSERT INTO event_log (event_id, event_type, resource_id, account_id,
                                           other_account_id, data, occurred_at, sequenced_at,
                                           trace_parent)
                    SELECT event_id, event_type, resource_id, account_id, other_account_id, data,
                           occurred_at, :at, trace_parent
                      FROM unnest(:ids::uuid[], :types::text[], :resources::uuid[],
                                  :accounts::uuid[], :others::uuid[], :data::text[],
                                  :occurred::timestamptz[], :traceParents::text[])
                           WITH ORDINALITY AS e(event_id, event_type, resource_id, account_id,
                                                other_account_id, data, occurred_at,
                                                trace_parent, n)
                     ORDER BY n
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING 1
                )
                """
                            + "SELECT count(*) AS inserted, pg_notify('"
                            + CHANNEL
                            + "', '') AS notified"
                            + " FROM inserted")
                    .bind("at", sequencedAt)
                    .bind("ids", ids)
                    .bind("types", types)
                    .bind("resources", resources)
                    .bind("accounts", accounts)
                    .bind("others", others)
                    .bind("data", data)
                    .bind("occurred", occurred)
                    .bind("traceParents", traceParents)
                    .map(row -> row.get("inserted", Long.class))
                    .one());
    return transaction.transactional(flow);
  }

  /** Every event after {@code afterSeq}, oldest first, at most {@code limit}. */
  public Flux<EventLogRow> after(long afterSeq, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM event_log WHERE seq > :after"
                + " ORDER BY seq LIMIT :limit")
        .bind("after", afterSeq)
        .bind("limit", limit)
        .map(EventLogStore::map)
        .all();
  }

  /** The events of one resource (a transfer) after {@code afterSeq}, oldest first. */
  public Flux<EventLogRow> afterForResource(UUID resourceId, long afterSeq, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM event_log WHERE resource_id = :id"
                + " AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("id", resourceId)
        .bind("after", afterSeq)
        .bind("limit", limit)
        .map(EventLogStore::map)
        .all();
  }

  /** The events on one account's stream after {@code afterSeq}, oldest first. */
  public Flux<EventLogRow> afterForAccount(UUID accountId, long afterSeq, int limit) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM event_log"
                + " WHERE (account_id = :id OR other_account_id = :id)"
                + " AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("id", accountId)
        .bind("after", afterSeq)
        .bind("limit", limit)
        .map(EventLogStore::map)
        .all();
  }

  /**
   * The position of a resource's terminal event ({@code *.completed} or {@code *.failed}), empty
   * while it is not sequenced yet (or was purged).
   */
  public Mono<Long> terminalSeq(UUID resourceId) {
    return db.sql(
            "SELECT MAX(seq) AS seq FROM event_log WHERE resource_id = :id"
                + " AND (event_type LIKE '%.completed' OR event_type LIKE '%.failed')")
        .bind("id", resourceId)
        .map(row -> java.util.Optional.ofNullable(row.get("seq", Long.class)))
        .one()
        .flatMap(seq -> Mono.justOrEmpty(seq));
  }

  /** The newest position, or 0 for an empty log: where a fresh poller starts. */
  public Mono<Long> maxSeq() {
    return db.sql("SELECT COALESCE(MAX(seq), 0) AS seq FROM event_log")
        .map(row -> row.get("seq", Long.class))
        .one();
  }

  /** Deletes events sequenced before {@code before}; the contract keeps them at least 24 h. */
  public Mono<Long> purgeBefore(Instant before) {
    return db.sql("DELETE FROM event_log WHERE sequenced_at < :before")
        .bind("before", before)
        .fetch()
        .rowsUpdated();
  }

  static EventLogRow map(Readable row) {
    return new EventLogRow(
        row.get("seq", Long.class),
        row.get("event_id", UUID.class),
        row.get("event_type", String.class),
        row.get("resource_id", UUID.class),
        row.get("account_id", UUID.class),
        row.get("other_account_id", UUID.class),
        row.get("data", String.class),
        Timestamps.instant(row.get("occurred_at", Instant.class)),
        row.get("trace_parent", String.class));
  }
}
