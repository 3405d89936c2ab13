package io.paystream.persistence.outbox;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Records which events a consumer has applied. Called first inside the consumer's transaction:
 * a redelivered event finds its row and the consumer does nothing, so each message is applied at
 * most once even though Kafka delivers it at least once.
 */
@Repository
public class InboxStore {

  private final DatabaseClient db;

  public InboxStore(DatabaseClient db) {
    this.db = db;
  }

  /** True if this is the first time {@code consumer} sees {@code eventId}. */
  public Mono<Boolean> firstDelivery(String consumer, UUID eventId, Instant at) {
    return db.sql("""
            INSERT INTO inbox (consumer, event_id, processed_at) VALUES (:consumer, :eventId, :at)
            ON CONFLICT (consumer, event_id) DO NOTHING""")
        .bind("consumer", consumer)
        .bind("eventId", eventId)
        .bind("at", at)
        .fetch().rowsUpdated()
        .map(rows -> rows == 1);
  }
}
