package io.paystream.persistence.idempotency;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import reactor.core.publisher.Mono;

/**
 * Idempotency records, one per (user, key). All three calls run inside the caller's transaction,
 * the same one that moves the money, so a record exists exactly when its effects committed.
 */
@Repository
public class IdempotencyStore {

  private final DatabaseClient db;

  public IdempotencyStore(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Takes the transaction-scoped advisory lock of (user, key) without waiting. False means
   * another transaction is processing the same key right now: the caller answers 409. The lock is
   * released when the caller's transaction ends, so a crashed request never leaves a key stuck.
   */
  public Mono<Boolean> tryLock(UUID userId, String key) {
    return db.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:lockName, 0)) AS locked")
        .bind("lockName", userId + "/" + key)
        .map(row -> row.get("locked", Boolean.class))
        .one();
  }

  /** The earlier record of this key, if any; the fingerprint tells a replay from a reuse. */
  public Mono<Recorded> find(UUID userId, String key) {
    return db.sql("""
            SELECT fingerprint, response_status, response_body, location FROM idempotency_record
             WHERE user_id = :user AND idem_key = :key""")
        .bind("user", userId)
        .bind("key", key)
        .map(row -> new Recorded(row.get("fingerprint", String.class),
            new StoredResponse(row.get("response_status", Integer.class),
                row.get("response_body", String.class), row.get("location", String.class))))
        .one();
  }

  public Mono<Void> save(UUID userId, String key, String fingerprint, StoredResponse response,
      Instant at) {
    return db.sql("""
            INSERT INTO idempotency_record (user_id, idem_key, fingerprint, response_status,
                                            response_body, location, created_at)
            VALUES (:user, :key, :fingerprint, :status, :body, :location, :at)""")
        .bind("user", userId)
        .bind("key", key)
        .bind("fingerprint", fingerprint)
        .bind("status", response.status())
        .bind("body", response.body())
        .bind("location", Parameters.in(R2dbcType.VARCHAR, response.location()))
        .bind("at", at)
        .fetch().rowsUpdated()
        .then();
  }

  /** Forgets records older than the retention; their keys may then be used afresh. */
  public Mono<Long> purgeOlderThan(Instant before) {
    return db.sql("DELETE FROM idempotency_record WHERE created_at < :before")
        .bind("before", before)
        .fetch().rowsUpdated();
  }

  public record Recorded(String fingerprint, StoredResponse response) {}
}
