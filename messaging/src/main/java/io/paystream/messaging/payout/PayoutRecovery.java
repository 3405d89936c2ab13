package io.paystream.messaging.payout;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.paystream.messaging.payout.Payouts.Outcome;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Finishes withdrawals whose payout leg did not: the process died mid-leg, the retries ran out, or
 * the circuit breaker was open. Every {@code recoverySweepIntervalSeconds} it claims in-flight
 * withdrawals untouched for {@code recoveryStaleSeconds} and gives each one more attempt, which
 * asks the provider for the payout by id before ordering it again. While the breaker is OPEN the
 * sweep skips (every call would be refused); when the breaker CLOSES it sweeps at once, every
 * in-flight withdrawal whatever its age, so that the backlog resumes as soon as the provider is
 * back.
 */
public class PayoutRecovery {

  private static final Logger log = LoggerFactory.getLogger(PayoutRecovery.class);

  private final WithdrawalStore withdrawals;
  private final Payouts payouts;
  private final CircuitBreaker breaker;
  private final PayoutProperties properties;
  private final TransactionalOperator transaction;
  private final Clock clock;
  private final Sinks.Many<Boolean> breakerClosed = Sinks.many().multicast().directBestEffort();

  public PayoutRecovery(
      WithdrawalStore withdrawals,
      Payouts payouts,
      PayoutGateway gateway,
      PayoutProperties properties,
      TransactionalOperator transaction,
      Clock clock) {
    this.withdrawals = withdrawals;
    this.payouts = payouts;
    this.breaker = gateway.breaker();
    this.properties = properties;
    this.transaction = transaction;
    this.clock = clock;
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              log.warn("payout provider circuit breaker: {}", event.getStateTransition());
              if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                breakerClosed.tryEmitNext(true);
              }
            });
  }

  /** Sweeps until cancelled; emits each attempt's outcome. */
  public Flux<Outcome> run() {
    Flux<Boolean> ticks =
        Flux.interval(Duration.ofSeconds(properties.recoverySweepIntervalSeconds()))
            .map(tick -> false);
    return Flux.merge(ticks, breakerClosed.asFlux())
        .onBackpressureDrop()
        .publishOn(Schedulers.parallel(), 1)
        .concatMap(
            everything ->
                sweep(
                    everything
                        ? Timestamps.now(clock)
                        : Timestamps.now(clock).minusSeconds(properties.recoveryStaleSeconds())));
  }

  /** One sweep over withdrawals last touched before {@code staleBefore}. */
  public Flux<Outcome> sweep(Instant staleBefore) {
    if (breaker.getState() == CircuitBreaker.State.OPEN) {
      return Flux.empty();
    }
    return withdrawals
        .claimStale(staleBefore, properties.recoveryBatchMax())
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .flatMap(
            id ->
                transaction
                    .transactional(withdrawals.startProcessing(id))
                    .flatMap(payouts::attempt)
                    .onErrorResume(
                        error -> {
                          log.warn(
                              "recovery of withdrawal {} failed, next sweep retries: {}",
                              id,
                              error.toString());
                          return Mono.just(Outcome.DEFERRED);
                        }),
            properties.recoveryConcurrencyMax())
        .onErrorResume(
            error -> {
              log.warn("recovery sweep failed, next sweep retries: {}", error.toString());
              return Flux.empty();
            });
  }
}
