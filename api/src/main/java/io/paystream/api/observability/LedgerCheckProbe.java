package io.paystream.api.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.ops.LedgerAudit;
import io.paystream.api.ops.LedgerAudit.LedgerCheck;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the ledger check on a schedule and publishes its verdict, so that an alert (not an operator
 * remembering to call the ops endpoint) notices a ledger that no longer balances. Every instance
 * runs it: the check only reads, and the interval bounds its cost.
 *
 * <p>{@code paystream.ledger.unbalanced} is 1 after a check that found the ledger unbalanced, 0
 * after one that found it balanced and before the first; a check that fails (database down) keeps
 * the last verdict and counts {@code paystream.ledger.check.failures}, so an outage is not reported
 * as a bookkeeping error, nor does it hide one.
 */
@Component
public class LedgerCheckProbe implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LedgerCheckProbe.class);

  /**
   * The first check soon after start-up, when the database is warm, rather than a full interval.
   */
  static final Duration FIRST_CHECK_DELAY = Duration.ofSeconds(5);

  private final LedgerAudit audit;
  private final Duration interval;
  private final AtomicLong unbalanced = new AtomicLong();
  private final AtomicLong unreconciledAccounts = new AtomicLong();
  private final Counter failures;
  private volatile Disposable running;

  public LedgerCheckProbe(
      LedgerAudit audit, ObservabilityProperties properties, MeterRegistry meters) {
    this.audit = audit;
    this.interval = properties.ledgerCheckInterval();
    Gauge.builder("paystream.ledger.unbalanced", unbalanced, AtomicLong::get)
        .description("1 when the last scheduled ledger check found the ledger unbalanced, else 0")
        .register(meters);
    Gauge.builder("paystream.ledger.unreconciled.accounts", unreconciledAccounts, AtomicLong::get)
        .description(
            "customer accounts whose balance differs from the sum of their entries, as last"
                + " checked")
        .register(meters);
    this.failures =
        Counter.builder("paystream.ledger.check.failures")
            .description("scheduled ledger checks that could not run (database unreachable)")
            .register(meters);
  }

  /** One check; publishes and emits its result, or counts a failure and completes empty. */
  Mono<LedgerCheck> checkOnce() {
    return audit
        .check()
        .doOnNext(this::publish)
        .onErrorResume(
            error -> {
              failures.increment();
              log.warn("scheduled ledger check failed, will retry: {}", error.toString());
              return Mono.empty();
            });
  }

  private void publish(LedgerCheck check) {
    unbalanced.set(check.balanced() ? 0 : 1);
    unreconciledAccounts.set(check.unreconciledAccounts());
    if (!check.balanced()) {
      log.error(
          "ledger check: UNBALANCED, sums by currency {}, {} unreconciled accounts",
          check.byCurrency(),
          check.unreconciledAccounts());
    }
  }

  @Override
  public void start() {
    running =
        Flux.interval(FIRST_CHECK_DELAY, interval)
            .onBackpressureDrop()
            .concatMap(tick -> checkOnce())
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
