package io.paystream.api.idempotency;

import io.paystream.api.ApiProperties;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.idempotency.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Forgets idempotency records past the retention, hourly. Any instance may run it; the DELETE is
 * idempotent, so running it on several instances at once costs nothing but a little I/O.
 */
@Component
public class IdempotencyPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

  /** Records live at least the retention and at most this much longer. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  private final IdempotencyStore store;
  private final Duration retention;
  private final Clock clock;
  private volatile Disposable running;

  public IdempotencyPurge(IdempotencyStore store, ApiProperties properties, Clock clock) {
    this.store = store;
    this.retention = Duration.ofHours(properties.idempotencyRetentionHours());
    this.clock = clock;
  }

  @Override
  public void start() {
    running =
        Flux.interval(PURGE_INTERVAL, PURGE_INTERVAL)
            .concatMap(
                tick ->
                    store
                        .purgeOlderThan(Timestamps.now(clock).minus(retention))
                        .doOnNext(purged -> log.debug("purged {} idempotency records", purged))
                        .onErrorResume(
                            error -> {
                              log.warn(
                                  "idempotency purge failed, will retry: {}", error.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }
}
