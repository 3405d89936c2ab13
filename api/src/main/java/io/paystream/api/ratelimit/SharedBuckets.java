package io.paystream.api.ratelimit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The buckets every instance shares, in Redis, taken from in ONE round trip per request however
 * many buckets it touches (a money POST touches two): one Lua script, {@link #SCRIPT}, takes a
 * token from each bucket in order and stops at the first refusal.
 *
 * <p>A bucket is a counter per limit and key that lives one window from its first token: the first
 * {@code INCR} sets its expiry, a count past the capacity is refused until the key has expired, and
 * then the next request starts a new window. That is what the Bucket4j buckets this replaces did
 * ({@code refillIntervally(capacity, window)}, forgotten once full), in one command per bucket
 * instead of a {@code GET} and a compare-and-swap script (two round trips, four commands) per
 * bucket. A refused request counts too; the count only decides when it passes the capacity, so that
 * changes nothing, and the bucket whose refusal answers is the last one counted, as before: a money
 * POST refused by the API-wide bucket takes nothing from the money bucket.
 *
 * <p>Redis answers {@code PTTL} only for a refusal, the only decision whose headers are written
 * ({@link RateDecision#writeHeaders}); an allowed decision reports the window as its reset, the
 * longest it can be.
 */
final class SharedBuckets {

  /**
   * KEYS: the buckets, in the order they are taken from. ARGV[1]: the window in milliseconds;
   * ARGV[1 + i]: the capacity of KEYS[i]. Answers {index of the deciding bucket, its count, its
   * PTTL or -1 when allowed}. A bucket without an expiry (none is written so) gets one when it
   * refuses, so that no key could refuse forever.
   */
  static final String SCRIPT =
      """
      for i = 1, #KEYS do
        local used = redis.call('INCR', KEYS[i])
        if used == 1 then
          redis.call('PEXPIRE', KEYS[i], ARGV[1])
        end
        if used > tonumber(ARGV[i + 1]) then
          local ttl = redis.call('PTTL', KEYS[i])
          if ttl < 0 then
            redis.call('PEXPIRE', KEYS[i], ARGV[1])
            ttl = tonumber(ARGV[1])
          end
          return {i, used, ttl}
        end
        if i == #KEYS then
          return {i, used, -1}
        end
      end
      """;

  private static final String DIGEST = sha1(SCRIPT);

  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RateLimitProperties properties;

  SharedBuckets(
      StatefulRedisConnection<byte[], byte[]> connection, RateLimitProperties properties) {
    this.connection = connection;
    this.properties = properties;
  }

  StatefulRedisConnection<byte[], byte[]> connection() {
    return connection;
  }

  /**
   * Takes one token from each of {@code limits}' buckets for {@code bucketKeys} (same order), up to
   * the first refusal; answers the refusal, else the last bucket's decision. Fails when Redis does.
   */
  Mono<RateDecision> take(List<RateLimit> limits, List<String> bucketKeys) {
    byte[][] keys = new byte[bucketKeys.size()][];
    byte[][] arguments = new byte[limits.size() + 1][];
    arguments[0] = ascii(Duration.ofSeconds(properties.windowSeconds()).toMillis());
    for (int i = 0; i < keys.length; i++) {
      keys[i] = bucketKeys.get(i).getBytes(StandardCharsets.UTF_8);
      arguments[i + 1] = ascii(properties.capacity(limits.get(i)));
    }
    return Mono.fromCompletionStage(
            () ->
                connection
                    .async()
                    .<List<Object>>evalsha(DIGEST, ScriptOutputType.MULTI, keys, arguments))
        // Redis forgets its scripts on a restart or SCRIPT FLUSH: send the text once, which also
        // caches it again for the next EVALSHA.
        .onErrorResume(
            RedisNoScriptException.class,
            missing ->
                Mono.fromCompletionStage(
                    () ->
                        connection
                            .async()
                            .<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, arguments)))
        .map(answer -> decision(limits, answer));
  }

  private RateDecision decision(List<RateLimit> limits, List<Object> answer) {
    RateLimit limit = limits.get(((Long) answer.get(0)).intValue() - 1);
    long used = (Long) answer.get(1);
    long ttlMillis = (Long) answer.get(2);
    long capacity = properties.capacity(limit);
    boolean allowed = used <= capacity;
    long reset =
        allowed
            ? properties.windowSeconds()
            : RateDecision.seconds(Duration.ofMillis(ttlMillis).toNanos());
    return new RateDecision(
        limit, allowed, capacity, Math.max(0, capacity - used), allowed ? 0 : reset, reset);
  }

  private static byte[] ascii(long number) {
    return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
