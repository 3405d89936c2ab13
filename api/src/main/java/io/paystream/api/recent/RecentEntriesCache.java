package io.paystream.api.recent;

import io.paystream.messaging.recent.RecentEntriesRedis;
import io.paystream.messaging.recent.RecentProperties;
import io.paystream.persistence.ledger.SequencedEntries;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The API's side of the recent-entries cache: answers an account's latest entries from Redis when
 * warm, rebuilds a miss from PostgreSQL, and forgets an account whose money this instance has just
 * moved. The Redis layout, its scripts and their writer (the ledger-event consumer) are in the
 * messaging module ({@link RecentEntriesRedis}); this class decides only what a read does when
 * Redis is cold, slow or down.
 *
 * <p>Every Redis call is bounded by {@link RecentProperties#redisTimeout()}; a failure or timeout
 * answers from PostgreSQL, so Redis being down makes the endpoint slower, never wrong or failing.
 */
@Component
public class RecentEntriesCache {

  private static final Logger log = LoggerFactory.getLogger(RecentEntriesCache.class);

  /**
   * The most accounts one {@code DEL} forgets: two keys each, so a group commit batch of transfers
   * (at most 128) fits in one call of a few kilobytes.
   */
  static final int FORGET_BATCH_MAX = 256;

  /**
   * The most forgets waiting for the call in flight; one more is sent alone. Many times what
   * arrives during one Redis round trip even at the API's peak, and a bound on what they hold.
   */
  static final int FORGET_QUEUE_MAX = 4096;

  private final RecentEntriesRedis redis;
  private final ReactiveStringRedisTemplate template;
  private final SequencedEntries entries;
  private final RecentProperties properties;
  private final Forgetting forgetting =
      new Forgetting(FORGET_BATCH_MAX, FORGET_QUEUE_MAX, this::delete);

  public RecentEntriesCache(
      RecentEntriesRedis redis,
      ReactiveStringRedisTemplate template,
      SequencedEntries entries,
      RecentProperties properties) {
    this.redis = redis;
    this.template = template;
    this.entries = entries;
    this.properties = properties;
  }

  /**
   * The account's latest entries, newest first, as a JSON array: from Redis when warm, else rebuilt
   * from PostgreSQL; from PostgreSQL alone when Redis fails.
   */
  public Mono<String> recentJson(UUID account) {
    return redis
        .snapshot(account)
        .switchIfEmpty(Mono.defer(() -> rebuild(account)))
        .onErrorResume(
            error -> {
              log.debug(
                  "recent entries of {} from PostgreSQL, Redis failed: {}",
                  account,
                  error.toString());
              return fromDatabase(account).map(redis::encode);
            });
  }

  private Mono<String> rebuild(UUID account) {
    return fromDatabase(account)
        .flatMap(
            latest ->
                redis
                    .rebuild(account, latest)
                    .onErrorResume(error -> Mono.just(redis.encode(latest))));
  }

  /**
   * Forgets an account's set after a write this instance just committed, so that its client reads
   * its own write at once (rebuilt from PostgreSQL). Completes once the set is gone; forgets that
   * arrive while another is in flight go out together, in one {@code DEL} ({@link Forgetting}).
   * Best effort: a failure is logged, and the ledger event brings the set up to date anyway.
   */
  public Mono<Void> invalidate(UUID account) {
    return forgetting
        .forget(account)
        // Its own bound too, not only its call's: a forget that queued behind a hanging call
        // waits no longer than one timeout either.
        .timeout(properties.redisTimeout())
        .doOnError(
            error ->
                log.debug(
                    "invalidating recent entries of {} failed: {}", account, error.toString()))
        .onErrorResume(error -> Mono.empty());
  }

  /**
   * {@code answer}, after {@link #invalidate forgetting} {@code account}'s set if the answer is a
   * success: what a money use case returns once its write committed.
   */
  public <T> Mono<ResponseEntity<T>> afterWrite(UUID account, ResponseEntity<T> answer) {
    return answer.getStatusCode().is2xxSuccessful()
        ? invalidate(account).thenReturn(answer)
        : Mono.just(answer);
  }

  /**
   * Deletes the sets and snapshots of {@code accounts} in one call, as {@link
   * RecentEntriesRedis#forget} does for one: bounded by the same timeout, and made from a
   * bounded-elastic thread for the same reason (taking a connection from Spring's factory may be a
   * blocking connect).
   */
  private Mono<Void> delete(Set<UUID> accounts) {
    String[] keys =
        accounts.stream()
            .flatMap(account -> RecentEntriesRedis.keys(account).stream())
            .toArray(String[]::new);
    return Mono.defer(() -> template.delete(keys))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(properties.redisTimeout())
        .then();
  }

  private Mono<List<SequencedEntry>> fromDatabase(UUID account) {
    return entries.latest(account, properties.entriesMax()).collectList();
  }
}
