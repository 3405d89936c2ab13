package io.paystream.persistence.deadletter;

import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Kafka dead letters as operators see them; recording one twice (a redelivery) adds nothing. */
@Repository
public class DeadLetterStore {

  static final String COLUMNS =
      "id, dlt_position, source, consumer, error, message_key, payload,"
          + " created_at, replayed_at";

  private final DatabaseClient db;
  private final Clock clock;

  public DeadLetterStore(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public record DeadLetter(
      UUID id,
      String dltPosition,
      String source,
      String consumer,
      String error,
      String key,
      String payload,
      Instant createdAt,
      Instant replayedAt) {}

  public Mono<Void> record(
      String dltPosition,
      String source,
      String consumer,
      String error,
      String key,
      String payload) {
    return db.sql(
            """
            INSERT INTO dead_letter (id, dlt_position, source, consumer, error, message_key,
                                     payload, created_at)
            VALUES (:id, :position, :source, :consumer, :error, :key, :payload, :at)
            ON CONFLICT (dlt_position) DO NOTHING""")
        .bind("id", Ids.newId())
        .bind("position", dltPosition)
        .bind("source", Parameters.in(R2dbcType.VARCHAR, source))
        .bind("consumer", Parameters.in(R2dbcType.VARCHAR, consumer))
        .bind("error", Parameters.in(R2dbcType.VARCHAR, error))
        .bind("key", Parameters.in(R2dbcType.VARCHAR, key))
        .bind("payload", payload)
        .bind("at", Timestamps.now(clock))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Newest first, strictly before {@code beforeId} when given. */
  public Flux<DeadLetter> page(UUID beforeId, int limit) {
    String position = beforeId == null ? "" : " WHERE id < :before";
    var spec =
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM dead_letter"
                    + position
                    + " ORDER BY id DESC LIMIT :limit")
            .bind("limit", limit);
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(DeadLetterStore::map).all();
  }

  public Mono<DeadLetter> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM dead_letter WHERE id = :id")
        .bind("id", id)
        .map(DeadLetterStore::map)
        .one();
  }

  public Mono<Void> markReplayed(UUID id) {
    return db.sql("UPDATE dead_letter SET replayed_at = :at WHERE id = :id")
        .bind("at", Timestamps.now(clock))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  static DeadLetter map(Readable row) {
    return new DeadLetter(
        row.get("id", UUID.class),
        row.get("dlt_position", String.class),
        row.get("source", String.class),
        row.get("consumer", String.class),
        row.get("error", String.class),
        row.get("message_key", String.class),
        row.get("payload", String.class),
        Timestamps.instant(row.get("created_at", Instant.class)),
        Timestamps.instant(row.get("replayed_at", Instant.class)));
  }
}
