package io.paystream.api.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.platform.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Takes tokens from buckets kept in Redis ({@link SharedBuckets}: one script call per request,
 * whatever number of buckets it touches; Lettuce, asynchronous: no thread ever waits for Redis),
 * shared by every instance of the API. The Redis is the one {@code spring.data.redis.*} configures
 * for the whole application ({@link RedisEndpoint}: password, database, TLS, URL, Sentinel), so
 * every instance that shares the cache shares the buckets.
 *
 * <p>Redis down: the API keeps serving, and every limit keeps applying per instance, from in-memory
 * buckets with the same configuration ({@link LocalBuckets}). With N instances a client gets at
 * most N times its limit until Redis is back; a limit never silently disappears. The connection is
 * retried every {@code redisRetrySeconds}; until then no request waits for it.
 */
public class RateLimiter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** A Redis that does not accept a connection within this is treated as down. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Failed bucket operations are logged at most this often, with their count. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final RateLimitProperties properties;
  private final RedisClient client;
  private final RedisURI uri;
  private final String redisDescription;
  private final Map<RateLimit, BucketConfiguration> configurations = new EnumMap<>(RateLimit.class);
  private final LocalBuckets local;
  private final AtomicReference<SharedBuckets> redis = new AtomicReference<>();
  private final AtomicLong nextConnectNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final String namespace;
  private final Counter localDecisions;
  private final Counter redisFailures;
  private final AtomicLong failuresSinceLogged = new AtomicLong();
  private final AtomicLong lastFailureLogNanos =
      new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL.toNanos());

  /**
   * @param redis where the buckets live, and how to log in
   * @param namespace prefix of every key in Redis, so that two deployments (or two tests) sharing
   *     one Redis do not share buckets
   */
  public RateLimiter(
      RateLimitProperties properties, RedisEndpoint redis, String namespace, MeterRegistry meters) {
    this.properties = properties;
    this.namespace = namespace;
    this.localDecisions =
        Counter.builder("paystream.rate.limit.local")
            .description(
                "rate-limit decisions taken from this instance's own buckets because Redis"
                    + " was unreachable, failed or too slow")
            .register(meters);
    this.redisFailures =
        Counter.builder("paystream.rate.limit.redis.failures")
            .description(
                "bucket operations that Redis failed or did not answer within"
                    + " redis-timeout-millis")
            .register(meters);
    Duration timeout = Duration.ofMillis(properties.redisTimeoutMillis());
    // The URI's timeout bounds connecting and its handshake, which a cold client needs more
    // time for; each command is bounded by the (shorter) command timeout below.
    this.uri = redis.uri(CONNECT_TIMEOUT);
    this.redisDescription = redis.describe();
    this.client = RedisClient.create();
    ClientOptions.Builder options =
        ClientOptions.builder()
            // A command sent while disconnected fails at once instead of queueing until Redis is
            // back: the fallback answers, the request is not held.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            // Connecting happens in the background, so it may take longer than one command.
            .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build());
    if (redis.ssl() != null) {
      options.sslOptions(redis.ssl());
    }
    client.setOptions(options.build());
    Duration window = Duration.ofSeconds(properties.windowSeconds());
    for (RateLimit limit : RateLimit.values()) {
      int capacity = properties.capacity(limit);
      configurations.put(
          limit,
          BucketConfiguration.builder()
              // Refilled whole at the end of each window, not token by token: "10 a minute"
              // means exactly that, and the RateLimit headers describe one window.
              .addLimit(
                  bandwidth -> bandwidth.capacity(capacity).refillIntervally(capacity, window))
              .build());
    }
    this.local = new LocalBuckets(properties.localBucketsMax());
  }

  /** Takes one token for {@code key} from {@code limit}'s bucket. Never fails, never blocks. */
  public Mono<RateDecision> consume(RateLimit limit, String key) {
    return consume(List.of(limit), key);
  }

  /**
   * Takes one token for {@code key} from each of {@code limits}' buckets, in order, up to the first
   * that refuses: answers that refusal, else the last bucket's decision. The shared buckets answer
   * in one Redis round trip however many limits there are. Never fails, never blocks.
   */
  public Mono<RateDecision> consume(List<RateLimit> limits, String key) {
    if (limits.isEmpty()) {
      throw new IllegalArgumentException("a request takes from at least one bucket");
    }
    String hashed = hash(key);
    List<String> bucketKeys = new ArrayList<>(limits.size());
    for (RateLimit limit : limits) {
      // ":count:" sets these keys apart from the Bucket4j state an older version kept under
      // namespace + name + ":" + hash, which the script could not count on.
      bucketKeys.add(namespace + limit.limitName() + ":count:" + hashed);
    }
    return redisBuckets()
        .flatMap(
            buckets ->
                buckets
                    .take(limits, bucketKeys)
                    .timeout(Duration.ofMillis(properties.redisTimeoutMillis()))
                    .onErrorResume(
                        failure -> {
                          failed(failure);
                          return Mono.empty();
                        }))
        .switchIfEmpty(Mono.fromSupplier(() -> locally(limits, bucketKeys)));
  }

  /** As the shared buckets decide, from this instance's own (Redis is unreachable or failed). */
  private RateDecision locally(List<RateLimit> limits, List<String> bucketKeys) {
    localDecisions.increment();
    RateDecision decision = null;
    for (int i = 0; i < limits.size(); i++) {
      RateLimit limit = limits.get(i);
      ConsumptionProbe probe =
          local
              .bucket(bucketKeys.get(i), configurations.get(limit))
              .tryConsumeAndReturnRemaining(1);
      decision = decision(limit, probe);
      if (!decision.allowed()) {
        break;
      }
    }
    return decision;
  }

  /**
   * A bucket operation that Redis failed or did not answer in time: counted, and logged at most
   * once per {@link #FAILURE_LOG_INTERVAL} with how many there were. An overloaded instance can
   * time out hundreds of them a second, and a line for each would only add to its load.
   */
  private void failed(Throwable failure) {
    redisFailures.increment();
    failuresSinceLogged.incrementAndGet();
    long now = System.nanoTime();
    long last = lastFailureLogNanos.get();
    if (now - last >= FAILURE_LOG_INTERVAL.toNanos()
        && lastFailureLogNanos.compareAndSet(last, now)) {
      long failures = failuresSinceLogged.getAndSet(0);
      log.warn(
          "rate limits answered locally: Redis failed {} bucket operation(s) since the last"
              + " such warning, this one with {}; meanwhile each limit applies per instance"
              + " (logged at most every {} s)",
          failures,
          failure.getClass().getSimpleName(),
          FAILURE_LOG_INTERVAL.toSeconds());
    }
  }

  /** Whether the shared (Redis) buckets are in use right now; for health and tests. */
  public boolean shared() {
    SharedBuckets buckets = redis.get();
    return buckets != null && buckets.connection().isOpen();
  }

  private RateDecision decision(RateLimit limit, ConsumptionProbe probe) {
    return new RateDecision(
        limit,
        probe.isConsumed(),
        properties.capacity(limit),
        probe.getRemainingTokens(),
        RateDecision.seconds(probe.getNanosToWaitForRefill()),
        RateDecision.seconds(probe.getNanosToWaitForReset()));
  }

  /** The shared buckets, or empty while Redis is unreachable (then the fallback decides). */
  private Mono<SharedBuckets> redisBuckets() {
    SharedBuckets ready = redis.get();
    if (ready == null) {
      // Never make a request wait for a connection: answer locally, connect in the background.
      connect().subscribe();
      return Mono.empty();
    }
    // Lettuce reconnects by itself; while it is disconnected, answer locally at once.
    return ready.connection().isOpen() ? Mono.just(ready) : Mono.empty();
  }

  /**
   * Connects to Redis unless connected, connecting, or last tried less than {@code
   * redisRetrySeconds} ago. Emits whether the shared buckets are in use afterwards. Called at
   * start-up (without waiting) and by a request that finds no connection.
   */
  public Mono<Boolean> connect() {
    if (redis.get() != null) {
      return Mono.just(true);
    }
    long now = System.nanoTime();
    if (now < nextConnectNanos.get() || !connecting.compareAndSet(false, true)) {
      return Mono.just(false);
    }
    nextConnectNanos.set(now + Duration.ofSeconds(properties.redisRetrySeconds()).toNanos());
    return Mono.fromFuture(
            () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture())
        .map(
            opened -> {
              install(opened);
              return true;
            })
        .onErrorResume(
            failure -> {
              log.warn(
                  "Redis unreachable for rate limits ({}); limits apply per instance until it"
                      + " is back",
                  failure.getClass().getSimpleName());
              return Mono.just(false);
            })
        .doFinally(signal -> connecting.set(false));
  }

  private synchronized SharedBuckets install(StatefulRedisConnection<byte[], byte[]> opened) {
    SharedBuckets existing = redis.get();
    if (existing != null) {
      opened.closeAsync();
      return existing;
    }
    SharedBuckets buckets = new SharedBuckets(opened, properties);
    redis.set(buckets);
    log.info("rate limits shared through Redis {}", redisDescription);
    return buckets;
  }

  static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public void close() {
    SharedBuckets open = redis.get();
    if (open != null) {
      open.connection().closeAsync();
    }
    client.shutdownAsync();
  }
}
