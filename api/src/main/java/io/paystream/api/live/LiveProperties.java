package io.paystream.api.live;

import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the SSE endpoints and {@code Prefer: wait}, under {@code paystream.live}. A record of
 * its own, not more components on {@code ApiProperties}, so concurrent work on that record does not
 * collide with this feature.
 *
 * @param heartbeatSeconds a comment is sent this often on an idle stream; the contract asks for at
 *     least every 15 s, and 10 s leaves room for a proxy that cuts idle connections at 15 s
 * @param subscribersMax open streams one instance serves; past it, 503 with Retry-After. Each
 *     stream costs one connection (a file descriptor: the process's limit must be higher) and about
 *     8 KB of heap while idle (docs/benchmarks, tenth pass), more while events wait for a slow
 *     client (paystream.events.subscriber-buffer-max)
 * @param subscribersPerUserMax open streams one user may hold on one instance; past it, 429 {@code
 *     rate_limited} (limit {@code streams_per_user}) with Retry-After. A customer watches a few
 *     accounts and a transfer or two from a few devices; 20 covers that, and without a cap one
 *     customer could take every slot of an instance from everyone else
 * @param retryAfterSeconds the least a refused subscriber is told to wait; long enough for streams
 *     to end or a load balancer to pick another instance
 * @param retryAfterJitterSeconds up to this much more, uniformly at random per refusal: clients
 *     refused together (an instance full after a restart's reconnect storm) come back spread over
 *     this many seconds instead of all at once
 * @param reconnectMillis the SSE {@code retry:} hint sent first, how soon a dropped client
 *     reconnects (with Last-Event-ID); 2 s keeps a flapping network from hammering the API
 * @param openingsMax stream requests one instance answers at once; the others wait their turn
 *     before any of their work is done, so a reconnect storm does not queue ahead of payments on
 *     the event loops. Fewer places cut a storm's accept latency but cost throughput (smaller
 *     batches of socket reads and Redis commands): on 2 cores a 10 000-stream storm was back in 7.5
 *     s with 256 and 11 s with 32 (accept p99 over the run 318-421 ms against 154-214 ms;
 *     docs/benchmarks, eleventh pass). 256 keeps the storm well within 10 s
 */
@ConfigurationProperties("paystream.live")
public record LiveProperties(
    @DefaultValue("10") long heartbeatSeconds,
    @DefaultValue("10000") int subscribersMax,
    @DefaultValue("20") int subscribersPerUserMax,
    @DefaultValue("5") long retryAfterSeconds,
    @DefaultValue("10") long retryAfterJitterSeconds,
    @DefaultValue("2000") long reconnectMillis,
    @DefaultValue("256") int openingsMax) {

  public LiveProperties {
    if (retryAfterSeconds < 1 || retryAfterJitterSeconds < 0) {
      throw new IllegalArgumentException(
          "paystream.live.retry-after-seconds must be at least 1 and"
              + " retry-after-jitter-seconds at least 0");
    }
    if (openingsMax < 1) {
      throw new IllegalArgumentException("paystream.live.openings-max must be at least 1");
    }
  }

  /** The Retry-After of one refusal: {@link #retryAfterSeconds} plus a uniform share of jitter. */
  public long retryAfter(RandomGenerator random) {
    return retryAfterSeconds + random.nextLong(retryAfterJitterSeconds + 1);
  }
}
