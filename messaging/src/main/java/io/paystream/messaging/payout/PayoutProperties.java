package io.paystream.messaging.payout;

import static io.paystream.messaging.ConfigurationBounds.check;
import static io.paystream.messaging.ConfigurationBounds.checkText;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit of the payout leg, under {@code paystream.payout}. A record of its own rather than
 * more fields of {@code MessagingProperties}: the provider is a separate dependency with its own
 * secret, and operators tune it apart from Kafka. Each limit is checked against its range at
 * start-up.
 *
 * @param baseUrl the payout provider (the simulator's default port for a local run)
 * @param destinationKey base64 of a 256-bit AES key sealing destination IBANs at rest; when unset,
 *     derived from {@code keyDerivationSecret} (never a built-in, known key)
 * @param keyDerivationSecret the JWT secret, bound by application.yml: the fallback from which the
 *     destination key is derived so the jar starts with the contract's variables alone
 * @param connectTimeoutMillis a provider that does not accept a connection within 1 s is down;
 *     waiting longer only holds a withdrawal and a connection
 * @param callTimeoutMillis the time limit of one provider call: 3 s is well above a healthy
 *     provider's answer, and short enough that 3 attempts stay under 15 s
 * @param retryAttemptsMax attempts per payout leg (first call included) for retryable failures
 *     (5xx, timeouts, connection errors); the recovery sweep takes over after that
 * @param retryBackoffMinMillis first retry delay, multiplied by 2 each attempt, with +-50% jitter
 *     so that instances do not retry in step
 * @param retryBackoffMaxMillis ceiling of one retry delay
 * @param breakerFailureRatePercent failure share of the window that opens the breaker
 * @param breakerWindowCalls calls the failure rate is computed over
 * @param breakerMinimumCalls calls needed before the rate means anything
 * @param breakerOpenSeconds how long an open breaker refuses calls before probing again; long
 *     enough for a provider to restart, short enough that withdrawals wait minutes, not hours
 * @param breakerHalfOpenCalls probe calls allowed while half open
 * @param recoverySweepIntervalSeconds how often in-flight withdrawals are looked at
 * @param recoveryStaleSeconds a withdrawal untouched this long lost its payout leg (crash, open
 *     breaker, exhausted retries) and is resumed; well above one leg's worst case (~15 s)
 * @param recoveryBatchMax withdrawals resumed per sweep, so a backlog drains in bounded steps
 * @param recoveryConcurrencyMax provider calls in flight per sweep
 * @param consumerGroup the payout-leg consumer group, shared by all instances
 */
@ConfigurationProperties("paystream.payout")
public record PayoutProperties(
    @DefaultValue("http://127.0.0.1:8091") String baseUrl,
    String destinationKey,
    String keyDerivationSecret,
    @DefaultValue("1000") int connectTimeoutMillis,
    @DefaultValue("3000") long callTimeoutMillis,
    @DefaultValue("3") int retryAttemptsMax,
    @DefaultValue("200") long retryBackoffMinMillis,
    @DefaultValue("2000") long retryBackoffMaxMillis,
    @DefaultValue("50") float breakerFailureRatePercent,
    @DefaultValue("20") int breakerWindowCalls,
    @DefaultValue("10") int breakerMinimumCalls,
    @DefaultValue("30") long breakerOpenSeconds,
    @DefaultValue("3") int breakerHalfOpenCalls,
    @DefaultValue("5") long recoverySweepIntervalSeconds,
    @DefaultValue("60") long recoveryStaleSeconds,
    @DefaultValue("50") int recoveryBatchMax,
    @DefaultValue("4") int recoveryConcurrencyMax,
    @DefaultValue("paystream-payout") String consumerGroup) {

  private static final String PREFIX = "paystream.payout.";

  public PayoutProperties {
    checkText(PREFIX + "base-url", baseUrl);
    check(PREFIX + "connect-timeout-millis", connectTimeoutMillis, 1, 60_000);
    check(PREFIX + "call-timeout-millis", callTimeoutMillis, 1, 120_000);
    // Resilience4j counts the first call as an attempt: fewer than one would never call.
    check(PREFIX + "retry-attempts-max", retryAttemptsMax, 1, 20);
    check(PREFIX + "retry-backoff-min-millis", retryBackoffMinMillis, 1, 60_000);
    check(
        PREFIX + "retry-backoff-max-millis", retryBackoffMaxMillis, retryBackoffMinMillis, 600_000);
    check(PREFIX + "breaker-failure-rate-percent", breakerFailureRatePercent, 1.0, 100.0);
    check(PREFIX + "breaker-window-calls", breakerWindowCalls, 1, 10_000);
    check(PREFIX + "breaker-minimum-calls", breakerMinimumCalls, 1, 10_000);
    check(PREFIX + "breaker-open-seconds", breakerOpenSeconds, 1, 3_600);
    check(PREFIX + "breaker-half-open-calls", breakerHalfOpenCalls, 1, 1_000);
    check(PREFIX + "recovery-sweep-interval-seconds", recoverySweepIntervalSeconds, 1, 3_600);
    check(PREFIX + "recovery-stale-seconds", recoveryStaleSeconds, 1, 86_400);
    check(PREFIX + "recovery-batch-max", recoveryBatchMax, 1, 10_000);
    check(PREFIX + "recovery-concurrency-max", recoveryConcurrencyMax, 1, 256);
    checkText(PREFIX + "consumer-group", consumerGroup);
  }

  public Duration callTimeout() {
    return Duration.ofMillis(callTimeoutMillis);
  }
}
