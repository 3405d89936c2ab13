package io.paystream.api.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Counts this instance's open streams against {@link LiveProperties#subscribersMax()}. */
@Component
class LiveSubscribers {

  private final int max;
  private final AtomicInteger active = new AtomicInteger();

  LiveSubscribers(LiveProperties properties, MeterRegistry meters) {
    this.max = properties.subscribersMax();
    Gauge.builder("paystream.live.subscribers", active, AtomicInteger::get)
        .description("open SSE streams on this instance").register(meters);
  }

  /** Takes a slot, or answers false when every slot is taken. */
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

  int active() {
    return active.get();
  }
}
