package io.paystream.api.statement;

import io.paystream.api.ApiProperties;
import io.paystream.persistence.statement.StatementJobLock;
import io.paystream.persistence.statement.StatementStore;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The monthly statement job: on every tick, renders the final PDF and CSV statement of the latest
 * closed month for every account that lacks one. Every instance ticks; the advisory lock lets one
 * run at a time, and a run skips what is already final, so each statement is rendered once however
 * many instances there are and however often they tick.
 */
@Component
public class StatementJob implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatementJob.class);

  private final StatementService statements;
  private final StatementStore store;
  private final StatementJobLock lock;
  private final StatementProperties limits;
  private volatile Disposable running;

  public StatementJob(
      StatementService statements,
      StatementStore store,
      StatementJobLock lock,
      ApiProperties properties) {
    this.statements = statements;
    this.store = store;
    this.lock = lock;
    this.limits = properties.statements();
  }

  /** What one run did: whether it held the lock, and how many statements it stored. */
  public record Run(YearMonth month, boolean ran, long stored, long failedAccounts) {}

  /**
   * Renders every missing final statement of {@code month}, if no other run holds the lock. An
   * account that fails is logged and counted and the run goes on; the next run retries it.
   */
  public Mono<Run> runOnce(YearMonth month) {
    AtomicLong stored = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Mono<Void> work =
        missing(month)
            .flatMap(
                account ->
                    statements
                        .renderFinal(account, month)
                        .doOnNext(stored::addAndGet)
                        .onErrorResume(
                            error -> {
                              failed.incrementAndGet();
                              log.error(
                                  "statement {} of account {} failed; the next run retries",
                                  month,
                                  account,
                                  error);
                              return Mono.empty();
                            }),
                limits.renderThreadsMax())
            .then();
    return lock.tryRun(work)
        .map(ran -> new Run(month, ran, stored.get(), failed.get()))
        .doOnNext(
            run -> {
              if (run.ran() && (run.stored() > 0 || run.failedAccounts() > 0)) {
                log.info(
                    "monthly statements {}: {} stored, {} accounts failed",
                    month,
                    run.stored(),
                    run.failedAccounts());
              }
            });
  }

  /** Accounts lacking a final statement of {@code month}, read in keyset pages. */
  private Flux<UUID> missing(YearMonth month) {
    int formats = StatementFormat.values().length;
    Supplier<Mono<List<UUID>>> first =
        () -> store.accountsMissingFinal(month, formats, null, limits.jobBatchSize()).collectList();
    return Mono.defer(first)
        .expand(
            page ->
                page.size() < limits.jobBatchSize()
                    ? Mono.empty()
                    : store
                        .accountsMissingFinal(
                            month, formats, page.get(page.size() - 1), limits.jobBatchSize())
                        .collectList())
        .concatMapIterable(page -> page);
  }

  /**
   * Calls {@code run} after {@code initialDelay} and then every {@code interval} on {@code timer}.
   * A run still going when the next tick comes makes that tick drop, never queue; a failed run is
   * logged and the schedule goes on.
   */
  static <T> Flux<T> schedule(
      Duration initialDelay, Duration interval, Supplier<Mono<T>> run, Scheduler timer) {
    return Flux.interval(initialDelay, interval, timer)
        .onBackpressureDrop()
        .concatMap(
            tick ->
                Mono.defer(run)
                    .onErrorResume(
                        error -> {
                          log.error("monthly statement run failed; the next tick retries", error);
                          return Mono.empty();
                        }),
            1);
  }

  @Override
  public void start() {
    if (!limits.jobEnabled()) {
      return;
    }
    running =
        schedule(
                Duration.ofSeconds(limits.jobInitialDelaySeconds()),
                Duration.ofSeconds(limits.jobIntervalSeconds()),
                () -> runOnce(statements.latestFinalMonth(statements.now())),
                Schedulers.parallel())
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }

  /** Stopped with the messaging lifecycle, after the web server, before the pools close. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }
}
