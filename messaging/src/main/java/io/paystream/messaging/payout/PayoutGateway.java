package io.paystream.messaging.payout;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * The provider behind Resilience4j. Each attempt has a time limit; the circuit breaker counts
 * attempts (a timeout, 5xx or connection failure is a failure; a refusal is a healthy answer); the
 * retry, outermost, repeats retryable failures only, with exponential backoff and jitter, and never
 * while the breaker is open. A failure that outlives the retries is left for the recovery sweep;
 * this class never decides that a payout did not happen.
 */
public class PayoutGateway {

  /** The name of the breaker in logs and metrics. */
  public static final String NAME = "payout-provider";

  private static final double BACKOFF_MULTIPLIER = 2.0;
  private static final double BACKOFF_JITTER = 0.5;

  private final PayoutProviderClient client;
  private final TimeLimiter timeLimiter;
  private final CircuitBreaker breaker;
  private final Retry retry;

  public PayoutGateway(PayoutProviderClient client, PayoutProperties properties) {
    this.client = client;
    this.timeLimiter =
        TimeLimiter.of(
            NAME,
            TimeLimiterConfig.custom()
                .timeoutDuration(properties.callTimeout())
                .cancelRunningFuture(true)
                .build());
    this.breaker =
        CircuitBreaker.of(
            NAME,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                // Outcomes are recorded on event loops: the default window records under a lock,
                // and two payout answers at once made one event loop park (BlockHound broke that
                // attempt's error signal and left a withdrawal PROCESSING under a full-suite
                // load).
                .slidingWindowSynchronizationStrategy(
                    CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .slidingWindowSize(properties.breakerWindowCalls())
                .minimumNumberOfCalls(properties.breakerMinimumCalls())
                .failureRateThreshold(properties.breakerFailureRatePercent())
                .waitDurationInOpenState(Duration.ofSeconds(properties.breakerOpenSeconds()))
                .permittedNumberOfCallsInHalfOpenState(properties.breakerHalfOpenCalls())
                // Without this the breaker stays OPEN until someone calls; the sweep relies on
                // HALF_OPEN.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(PayoutGateway::isProviderTrouble)
                .build());
    this.retry =
        Retry.of(
            NAME,
            RetryConfig.custom()
                .maxAttempts(properties.retryAttemptsMax())
                .intervalFunction(
                    IntervalFunction.ofExponentialRandomBackoff(
                        properties.retryBackoffMinMillis(),
                        BACKOFF_MULTIPLIER,
                        BACKOFF_JITTER,
                        properties.retryBackoffMaxMillis()))
                .retryOnException(PayoutGateway::isProviderTrouble)
                .build());
  }

  /**
   * Pays the order, or fails with the last retryable failure / {@link CallNotPermittedException}.
   */
  public Mono<ProviderAnswer> pay(PayoutOrder order) {
    return guarded(Mono.defer(() -> client.pay(order)));
  }

  /** The payout's state at the provider, with the same protection as {@link #pay}. */
  public Mono<Optional<ProviderAnswer>> find(UUID id) {
    return guarded(Mono.defer(() -> client.find(id)));
  }

  private <T> Mono<T> guarded(Mono<T> call) {
    return call.transformDeferred(TimeLimiterOperator.of(timeLimiter))
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .transformDeferred(RetryOperator.of(retry));
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * Failures that say nothing about the payout and may pass: no answer in time, 5xx/429, no
   * connection. An open breaker is not one of them: retrying it only spins.
   */
  public static boolean isProviderTrouble(Throwable error) {
    return error instanceof TimeoutException
        || error instanceof ProviderUnavailableException
        || error instanceof WebClientRequestException
        || error instanceof IOException;
  }

  /** True for every failure that leaves the payout's fate unknown, the open breaker included. */
  public static boolean leavesPayoutUnknown(Throwable error) {
    return isProviderTrouble(error) || error instanceof CallNotPermittedException;
  }
}
