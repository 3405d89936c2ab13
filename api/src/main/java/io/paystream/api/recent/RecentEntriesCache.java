package io.paystream.api.recent;

import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.SequencedEntries;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * An account's latest entries in Redis: a sorted set (score = {@code entry.seq}, member = the
 * entry's JSON, so adding the same entry twice changes nothing) trimmed to {@link
 * RecentProperties#entriesMax()}, plus a snapshot: the set's members, newest first, joined into the
 * JSON array the endpoint answers. The snapshot exists only while the set is known to hold the
 * complete top of the account's history: a rebuild from PostgreSQL writes it (expiring after {@link
 * RecentProperties#warmSeconds()}, so that a warm set is re-read from PostgreSQL at least that
 * often); updates from ledger events add to the set and rewrite the snapshot if there is one, and
 * drop it if the set had gone (evicted), since the set alone would then be partial. A warm read is
 * one {@code GET}: Redis answers the array text and nothing is decoded, joined or encoded (a read
 * script over the set did half as many reads per second in Redis, and joining twenty members cost
 * the client as much again; load-tests' {@code RecentReadBenchmark}).
 *
 * <p>Every Redis call is bounded by {@link RecentProperties#redisTimeout()}; a failure or timeout
 * answers from PostgreSQL, so Redis being down makes the endpoint slower, never wrong or failing.
 * Calls are made from a bounded-elastic thread: whenever Spring's factory has no live shared
 * connection (Redis down since start-up, or a connection it reset after a failure), taking one is a
 * blocking connect, never for an event loop. Staying on the event loop once connected was tried and
 * refused by BlockHound in the Redis-down test: the factory reconnects on the caller's thread. Each
 * multi-step change is one Lua script, so a concurrent invalidation cannot interleave.
 *
 * <p>Members are the entries as the API writes them (the same {@link JsonMapper}) and are served
 * verbatim, so a change to {@link LedgerEntry}'s JSON must change the key prefix in {@link #keys}.
 */
@Component
public class RecentEntriesCache {

  private static final Logger log = LoggerFactory.getLogger(RecentEntriesCache.class);

  /** Writes the set and its snapshot from PostgreSQL's latest entries; answers the snapshot. */
  private static final RedisScript<String> REBUILD =
      RedisScript.of(
          """
      for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      local snapshot = '[' .. table.concat(top, ',') .. ']'
      redis.call('SET', KEYS[2], snapshot, 'EX', ARGV[2])
      return snapshot""",
          String.class);

  /** Adds entries from a ledger event; keeps the snapshot (and its expiry) true to the set. */
  private static final RedisScript<Long> ADD =
      RedisScript.of(
          """
      local had = redis.call('EXISTS', KEYS[1])
      for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      if redis.call('EXISTS', KEYS[2]) == 1 then
        if had == 1 then
          local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
          redis.call('SET', KEYS[2], '[' .. table.concat(top, ',') .. ']', 'KEEPTTL')
        else
          redis.call('DEL', KEYS[2])
        end
      end
      return redis.call('ZCARD', KEYS[1])""",
          Long.class);

  private final ReactiveStringRedisTemplate redis;
  private final SequencedEntries entries;
  private final RecentProperties properties;
  private final JsonMapper json;

  public RecentEntriesCache(
      ReactiveStringRedisTemplate redis,
      SequencedEntries entries,
      RecentProperties properties,
      JsonMapper json) {
    this.redis = redis;
    this.entries = entries;
    this.properties = properties;
    this.json = json;
  }

  /**
   * The account's latest entries, newest first, as a JSON array: from Redis when warm, else rebuilt
   * from PostgreSQL; from PostgreSQL alone when Redis fails.
   */
  public Mono<String> recentJson(UUID account) {
    String snapshot = keys(account).get(1);
    return onRedis(Flux.defer(() -> redis.opsForValue().get(snapshot)))
        .next()
        .timeout(properties.redisTimeout())
        .switchIfEmpty(Mono.defer(() -> rebuild(account)))
        .onErrorResume(
            error -> {
              log.debug(
                  "recent entries of {} from PostgreSQL, Redis failed: {}",
                  account,
                  error.toString());
              return fromDatabase(account).map(this::encode);
            });
  }

  private Mono<String> rebuild(UUID account) {
    return fromDatabase(account)
        .flatMap(
            latest ->
                onRedis(Flux.defer(() -> redis.execute(REBUILD, keys(account), arguments(latest))))
                    .next()
                    .timeout(properties.redisTimeout())
                    .onErrorResume(error -> Mono.just(encode(latest))));
  }

  /** Adds entries (of any accounts) from a ledger event; idempotent. */
  public Mono<Void> add(Collection<SequencedEntry> added) {
    return Flux.fromIterable(added)
        .groupBy(sequenced -> sequenced.entry().accountId())
        .flatMap(
            account ->
                account
                    .collectList()
                    .flatMap(
                        list ->
                            onRedis(
                                    Flux.defer(
                                        () ->
                                            redis.execute(
                                                ADD, keys(account.key()), arguments(list))))
                                .then()))
        .timeout(properties.redisTimeout())
        .then();
  }

  /**
   * Forgets an account's set after a write this instance just committed, so that its client reads
   * its own write at once (rebuilt from PostgreSQL). Best effort: a failure is logged, and the
   * ledger event brings the set up to date anyway.
   */
  public Mono<Void> invalidate(UUID account) {
    return onRedis(Flux.defer(() -> redis.delete(keys(account).toArray(String[]::new))))
        .next()
        .timeout(properties.redisTimeout())
        .doOnError(
            error ->
                log.debug(
                    "invalidating recent entries of {} failed: {}", account, error.toString()))
        .onErrorResume(error -> Mono.empty())
        .then();
  }

  /** Where every Redis call runs (see above). */
  private static <T> Flux<T> onRedis(Flux<T> call) {
    return call.subscribeOn(Schedulers.boundedElastic());
  }

  private Mono<List<SequencedEntry>> fromDatabase(UUID account) {
    return entries.latest(account, properties.entriesMax()).collectList();
  }

  private List<String> arguments(List<SequencedEntry> latest) {
    List<String> arguments = new ArrayList<>(2 + 2 * latest.size());
    arguments.add(Integer.toString(properties.entriesMax()));
    arguments.add(Long.toString(properties.warmSeconds()));
    for (SequencedEntry sequenced : latest) {
      arguments.add(Long.toString(sequenced.seq()));
      arguments.add(json.writeValueAsString(sequenced.entry()));
    }
    return arguments;
  }

  private String encode(List<SequencedEntry> latest) {
    return json.writeValueAsString(latest.stream().map(SequencedEntry::entry).toList());
  }

  /**
   * The set and its snapshot. A hash tag keeps both in one Redis Cluster slot, as a multi-key
   * script requires.
   */
  static List<String> keys(UUID account) {
    String set = "paystream:recent:{" + account + "}";
    return List.of(set, set + ":top");
  }
}
