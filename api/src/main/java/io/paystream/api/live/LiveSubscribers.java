package io.paystream.api.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Counts this instance's open streams against {@link LiveProperties#subscribersMax()}, and each
 * user's against {@link LiveProperties#subscribersPerUserMax()}, so that one customer cannot take
 * every slot of an instance.
 */
@Component
class LiveSubscribers {

  /** Which cap refused a stream. */
  enum Refusal {
    INSTANCE_FULL,
    USER_FULL
  }

  private final int max;
  private final int perUserMax;
  private final AtomicInteger active = new AtomicInteger();

  /** Open streams per user; a user with none has no entry, so the map holds only live users. */
  private final ConcurrentHashMap<UUID, Integer> perUser = new ConcurrentHashMap<>();

  LiveSubscribers(LiveProperties properties, MeterRegistry meters) {
    this.max = properties.subscribersMax();
    this.perUserMax = properties.subscribersPerUserMax();
    Gauge.builder("paystream.live.subscribers", active, AtomicInteger::get)
        .description("open SSE streams on this instance")
        .register(meters);
  }

  /** Takes an instance slot, or answers false when every slot is taken. */
  boolean tryAcquire() {
    while (true) {
      int current = active.get();
      if (current >= max) {
        return false;
      }
      if (active.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    active.decrementAndGet();
  }

  /**
   * Takes one of {@code user}'s slots and an instance slot; null when both were taken, otherwise
   * the cap that refused (and nothing is taken). Give it back with {@link #release(UUID)}.
   */
  Refusal tryAcquire(UUID user) {
    boolean[] taken = {false};
    perUser.compute(
        user,
        (id, open) -> {
          int current = open == null ? 0 : open;
          if (current >= perUserMax) {
            return open;
          }
          taken[0] = true;
          return current + 1;
        });
    if (!taken[0]) {
      return Refusal.USER_FULL;
    }
    if (!tryAcquire()) {
      releaseUser(user);
      return Refusal.INSTANCE_FULL;
    }
    return null;
  }

  void release(UUID user) {
    releaseUser(user);
    release();
  }

  private void releaseUser(UUID user) {
    perUser.computeIfPresent(user, (id, open) -> open <= 1 ? null : open - 1);
  }

  int active() {
    return active.get();
  }

  int active(UUID user) {
    return perUser.getOrDefault(user, 0);
  }
}
