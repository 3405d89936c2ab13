package io.paystream.persistence.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Records which events a consumer has applied. Called first inside the consumer's transaction: a
 * redelivered event finds its row and the consumer does nothing, so each message is applied at most
 * once even though Kafka delivers it at least once.
 */
@Repository
public class InboxStore {

  private final DatabaseClient db;

  public InboxStore(DatabaseClient db) {
    this.db = db;
  }

  /** True if this is the first time {@code consumer} sees {@code eventId}. */
  public Mono<Boolean> firstDelivery(String consumer, UUID eventId, Instant at) {
    return db.sql(
            """
            INSERT INTO inbox (consumer, event_id, processed_at) VALUES (:consumer, :eventId, :at)
            ON CONFLICT (consumer, event_id) DO NOTHING""")
        .bind("consumer", consumer)
        .bind("eventId", eventId)
        .bind("at", at)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /**
   * Records many events in one statement; emits those seen for the first time. An event id given
   * twice is recorded (and emitted) once. A concurrent transaction recording the same id makes this
   * one wait for its outcome, so an event is never first for two transactions.
   */
  public Mono<Set<UUID>> firstDeliveries(String consumer, List<UUID> eventIds, Instant at) {
    if (eventIds.isEmpty()) {
      return Mono.just(Set.of());
    }
    return db.sql(
            """
            INSERT INTO inbox (consumer, event_id, processed_at)
            SELECT :consumer, event_id, :at FROM unnest(:eventIds::uuid[]) AS e(event_id)
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING event_id""")
        .bind("consumer", consumer)
        .bind("eventIds", eventIds.toArray(UUID[]::new))
        .bind("at", at)
        .map(row -> row.get("event_id", UUID.class))
        .all()
        .collect(Collectors.toUnmodifiableSet());
  }
}
