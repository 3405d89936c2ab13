package io.paystream.api.observability;

import static io.paystream.messaging.ConfigurationBounds.check;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the api module publishes for operators beyond the actuator's own metrics, under {@code
 * paystream.observability}.
 *
 * @param ledgerCheckIntervalSeconds how often each instance runs the ledger check and publishes
 *     {@code paystream_ledger_unbalanced}. Five minutes: an unbalanced ledger is a bug to stop
 *     within minutes, not a latency signal, and each run reads every ledger entry twice, a cost
 *     that grows with the ledger. At least 10 s so a typo cannot turn it into a constant scan.
 */
@ConfigurationProperties("paystream.observability")
public record ObservabilityProperties(@DefaultValue("300") long ledgerCheckIntervalSeconds) {

  public ObservabilityProperties {
    check(
        "paystream.observability.ledger-check-interval-seconds",
        ledgerCheckIntervalSeconds,
        10,
        86_400);
  }

  public Duration ledgerCheckInterval() {
    return Duration.ofSeconds(ledgerCheckIntervalSeconds);
  }
}
