package io.paystream.api.hold;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.domain.Hold;
import io.paystream.persistence.hold.HoldStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Expires HELD holds past their {@code expiresAt}, on every instance, every {@link
 * HoldProperties#expirySweep()}. No hold is expired twice, whatever the instances: each sweep locks
 * the rows it takes with {@code SKIP LOCKED} and only a HELD row can become EXPIRED (the database
 * refuses anything else), so a hold another instance, a capture or a void holds is left to them. A
 * full batch is followed by another at once; a failed sweep (database down) is logged and the next
 * tick tries again.
 */
@Component
public class HoldExpiry implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HoldExpiry.class);

  private final HoldStore holds;
  private final TransactionalOperator transaction;
  private final HoldProperties properties;
  private final Counter expired;
  private volatile Disposable running;

  HoldExpiry(
      HoldStore holds,
      TransactionalOperator transaction,
      HoldProperties properties,
      MeterRegistry meters) {
    this.holds = holds;
    this.transaction = transaction;
    this.properties = properties;
    this.expired =
        Counter.builder("paystream.holds.expired")
            .description("holds this instance expired at their expiresAt")
            .register(meters);
  }

  @Override
  public void start() {
    running =
        Flux.interval(properties.expirySweep(), properties.expirySweep())
            .onBackpressureDrop()
            .concatMap(tick -> sweep().onErrorResume(HoldExpiry::logged), 1)
            .subscribe();
  }

  /** Expires every hold that is due, one batch per transaction, and counts them. */
  Mono<Long> sweep() {
    return batch()
        .expand(done -> done.size() == properties.expiryBatchMax() ? batch() : Mono.empty())
        .map(done -> (long) done.size())
        .reduce(0L, Long::sum);
  }

  private Mono<List<Hold>> batch() {
    return transaction
        .transactional(holds.expireDue(properties.expiryBatchMax()))
        .doOnNext(done -> expired.increment(done.size()));
  }

  private static Mono<Long> logged(Throwable error) {
    log.warn("hold expiry sweep failed, the next one retries: {}", error.toString());
    return Mono.empty();
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
