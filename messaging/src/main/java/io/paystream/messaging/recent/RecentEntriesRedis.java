package io.paystream.messaging.recent;

import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * An account's latest entries in Redis: the one definition of their keys, members, snapshot and
 * scripts, shared by the writer ({@link RecentEntriesUpdater}, from ledger events) and the reader
 * (the API's recent-entries endpoint, which also rebuilds a miss from PostgreSQL). It lives here,
 * not in the API, because the writer does and the module arrows point down only.
 *
 * <p>Layout: a sorted set (score = {@code entry.seq}, member = the entry's JSON, so adding the same
 * entry twice changes nothing) trimmed to {@link RecentProperties#entriesMax()}, plus a snapshot:
 * the set's members, newest first, joined into the JSON array the endpoint answers. The snapshot
 * exists only while the set is known to hold the complete top of the account's history: {@link
 * #rebuild} writes it (expiring after {@link RecentProperties#warmSeconds()}, so that a warm set is
 * re-read from PostgreSQL at least that often); {@link #add} adds to the set and rewrites the
 * snapshot if there is one, and drops it if the set had gone (evicted), since the set alone would
 * then be partial. A warm read is one {@code GET} of the snapshot: Redis answers the array text and
 * nothing is decoded, joined or encoded (why not a read script over the set: docs/benchmarks). Each
 * multi-step change is one Lua script, so a concurrent change cannot interleave.
 *
 * <p>Every call is bounded by {@link RecentProperties#redisTimeout()} and made from a
 * bounded-elastic thread: whenever Spring's factory has no live shared connection (Redis down since
 * start-up, or a connection it reset after a failure), taking one is a blocking connect, never for
 * an event loop (BlockHound refused staying on the event loop once connected: the factory
 * reconnects on the caller's thread).
 *
 * <p>Members are the entries as the API writes them (the application's one {@link JsonMapper}) and
 * are served verbatim, so a change to {@link LedgerEntry}'s JSON must change the key prefix in
 * {@link #keys}.
 */
@Component
@EnableConfigurationProperties(RecentProperties.class)
public class RecentEntriesRedis {

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
  private final RecentProperties properties;
  private final JsonMapper json;

  public RecentEntriesRedis(
      ReactiveStringRedisTemplate redis, RecentProperties properties, JsonMapper json) {
    this.redis = redis;
    this.properties = properties;
    this.json = json;
  }

  /** The account's snapshot, the JSON array the endpoint answers; empty when it is cold. */
  public Mono<String> snapshot(UUID account) {
    String snapshot = keys(account).get(1);
    return onRedis(Flux.defer(() -> redis.opsForValue().get(snapshot)))
        .next()
        .timeout(properties.redisTimeout());
  }

  /**
   * Writes the set and its snapshot from the account's latest entries as PostgreSQL has them,
   * newest first, merged with whatever updates added meanwhile; answers the new snapshot.
   */
  public Mono<String> rebuild(UUID account, List<SequencedEntry> latest) {
    return onRedis(Flux.defer(() -> redis.execute(REBUILD, keys(account), arguments(latest))))
        .next()
        .timeout(properties.redisTimeout());
  }

  /** Adds entries (of any accounts) from ledger events, one script per account; idempotent. */
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

  /** Deletes the account's set and snapshot; the next read rebuilds them from PostgreSQL. */
  public Mono<Void> forget(UUID account) {
    return onRedis(Flux.defer(() -> redis.delete(keys(account).toArray(String[]::new))))
        .next()
        .timeout(properties.redisTimeout())
        .then();
  }

  /** The JSON array a snapshot of these entries (newest first) would be, built without Redis. */
  public String encode(List<SequencedEntry> latest) {
    return json.writeValueAsString(latest.stream().map(SequencedEntry::entry).toList());
  }

  /**
   * The set and its snapshot. A hash tag keeps both in one Redis Cluster slot, as a multi-key
   * script requires.
   */
  public static List<String> keys(UUID account) {
    String set = "paystream:recent:{" + account + "}";
    return List.of(set, set + ":top");
  }

  /** Where every Redis call runs (see above). */
  private static <T> Flux<T> onRedis(Flux<T> call) {
    return call.subscribeOn(Schedulers.boundedElastic());
  }

  private List<String> arguments(List<SequencedEntry> entries) {
    List<String> arguments = new ArrayList<>(2 + 2 * entries.size());
    arguments.add(Integer.toString(properties.entriesMax()));
    arguments.add(Long.toString(properties.warmSeconds()));
    for (SequencedEntry sequenced : entries) {
      arguments.add(Long.toString(sequenced.seq()));
      arguments.add(json.writeValueAsString(sequenced.entry()));
    }
    return arguments;
  }
}
