package io.paystream.persistence.idempotency;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
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
   * Takes the transaction-scoped advisory lock of (user, key) without waiting. False means another
   * transaction is processing the same key right now: the caller answers 409. The lock is released
   * when the caller's transaction ends, so a crashed request never leaves a key stuck.
   */
  public Mono<Boolean> tryLock(UUID userId, String key) {
    return db.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:lockName, 0)) AS locked")
        .bind("lockName", new Key(userId, key).lockName())
        .map(row -> row.get("locked", Boolean.class))
        .one();
  }

  /** The earlier record of this key, if any; the fingerprint tells a replay from a reuse. */
  public Mono<Recorded> find(UUID userId, String key) {
    return db.sql(
            """
            SELECT fingerprint, response_status, response_body, location FROM idempotency_record
             WHERE user_id = :user AND idem_key = :key""")
        .bind("user", userId)
        .bind("key", key)
        .map(
            row ->
                new Recorded(
                    row.get("fingerprint", String.class),
                    new StoredResponse(
                        row.get("response_status", Integer.class),
                        row.get("response_body", String.class),
                        row.get("location", String.class))))
        .one();
  }

  public Mono<Void> save(
      UUID userId, String key, String fingerprint, StoredResponse response, Instant at) {
    return saveAll(List.of(new Saved(new Key(userId, key), fingerprint, response)), at);
  }

  /** One (user, key) of the batch calls below. */
  public record Key(UUID userId, String key) {

    String lockName() {
      return userId + "/" + key;
    }
  }

  /** What {@link #saveAll} stores for one key. */
  public record Saved(Key key, String fingerprint, StoredResponse response) {}

  /**
   * {@link #tryLock} for many keys in one round trip (the same lock names, so a batch and a single
   * request with the same key exclude each other): one answer per key, in order. The keys must be
   * distinct: a transaction that holds a lock is granted it again.
   */
  public Mono<List<Boolean>> tryLockAll(List<Key> keys) {
    String[] names = keys.stream().map(Key::lockName).toArray(String[]::new);
    return db.sql(
            """
            SELECT pg_try_advisory_xact_lock(hashtextextended(name, 0)) AS locked
              FROM unnest(:names::text[]) WITH ORDINALITY AS k(name, n) ORDER BY n""")
        .bind("names", names)
        .map(row -> row.get("locked", Boolean.class))
        .all()
        .collectList()
        .flatMap(
            locked ->
                locked.size() == names.length
                    ? Mono.just(locked)
                    : Mono.error(
                        new IllegalStateException(
                            locked.size() + " lock answers for " + names.length + " keys")));
  }

  /** {@link #find} for many keys in one round trip; keys without a record are absent. */
  public Mono<Map<Key, Recorded>> findAll(List<Key> keys) {
    return db.sql(
            """
            SELECT user_id, idem_key, fingerprint, response_status, response_body, location
              FROM idempotency_record
              JOIN unnest(:users::uuid[], :keys::text[]) AS k(user_id, idem_key)
                   USING (user_id, idem_key)""")
        .bind("users", keys.stream().map(Key::userId).toArray(UUID[]::new))
        .bind("keys", keys.stream().map(Key::key).toArray(String[]::new))
        .map(
            row ->
                Map.entry(
                    new Key(row.get("user_id", UUID.class), row.get("idem_key", String.class)),
                    new Recorded(
                        row.get("fingerprint", String.class),
                        new StoredResponse(
                            row.get("response_status", Integer.class),
                            row.get("response_body", String.class),
                            row.get("location", String.class)))))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** {@link #save} for many keys in one statement. */
  public Mono<Void> saveAll(List<Saved> records, Instant at) {
    if (records.isEmpty()) {
      return Mono.empty();
    }
    int n = records.size();
    UUID[] users = new UUID[n];
    String[] keys = new String[n];
    String[] fingerprints = new String[n];
    Integer[] statuses = new Integer[n];
    String[] bodies = new String[n];
    String[] locations = new String[n];
    for (int i = 0; i < n; i++) {
      Saved saved = records.get(i);
      users[i] = saved.key().userId();
      keys[i] = saved.key().key();
      fingerprints[i] = saved.fingerprint();
      statuses[i] = saved.response().status();
      bodies[i] = saved.response().body();
      locations[i] = saved.response().location();
    }
    return db.sql(
            """
            INSERT INTO idempotency_record (user_id, idem_key, fingerprint, response_status,
                                            response_body, location, created_at)
            SELECT user_id, idem_key, fingerprint, response_status, response_body, location, :at
              FROM unnest(:users::uuid[], :keys::text[], :fingerprints::text[],
                          :statuses::int[], :bodies::text[], :locations::text[])
                   AS r(user_id, idem_key, fingerprint, response_status, response_body,
                        location)""")
        .bind("users", users)
        .bind("keys", keys)
        .bind("fingerprints", fingerprints)
        .bind("statuses", statuses)
        .bind("bodies", bodies)
        .bind("locations", locations)
        .bind("at", at)
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == n
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "stored " + rows + " of " + n + " idempotency records")));
  }

  /** Forgets records older than the retention; their keys may then be used afresh. */
  public Mono<Long> purgeOlderThan(Instant before) {
    return db.sql("DELETE FROM idempotency_record WHERE created_at < :before")
        .bind("before", before)
        .fetch()
        .rowsUpdated();
  }

  public record Recorded(String fingerprint, StoredResponse response) {}
}
