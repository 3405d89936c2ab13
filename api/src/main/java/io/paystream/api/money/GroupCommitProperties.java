package io.paystream.api.money;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of transfer accepts, under {@code paystream.transfers.group-commit}.
 *
 * @param enabled false sends every transfer through its own transaction (the path transfers with
 *     daily or velocity limits always take); for comparison runs
 * @param batchMax the most transfers one transaction accepts
 * @param lanes how many accept transactions run at once: transfers are dealt to lanes by payer
 *     account, and each lane runs one transaction at a time, so no two in flight share a payer's
 *     row lock. While a lane's transaction runs, its new transfers wait and the next transaction
 *     takes them together. Small on purpose: the batches grow instead of the queue inside
 *     PostgreSQL, and four keep 2 cores busy
 * @param queueMax the most transfers waiting for a free accept transaction; one more is answered
 *     503 with Retry-After at once. Eight full batches: on this machine about a second of accepts,
 *     within any client's timeout, and a bound on the memory the waiting requests hold
 * @param lingerMillis how long an accept batch that is not full waits for more transfers of its
 *     lane, from its oldest transfer's arrival: every accept may be answered up to this much later,
 *     and at a steady r transfers a second dealt over {@code lanes} a batch holds about {@code 1 +
 *     r / lanes * lingerMillis / 1000}. 0 (no linger) by default: at 100 transfers/s over 4 lanes,
 *     2 ms gives batches of 1.05 (5 % fewer accept transactions) for 2 ms more on every answer; it
 *     pays only with fewer lanes or a higher steady rate, which a benchmark should show first. At
 *     most 50, a fraction of the contract's latency targets
 */
@ConfigurationProperties("paystream.transfers.group-commit")
public record GroupCommitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("128") int batchMax,
    @DefaultValue("4") int lanes,
    @DefaultValue("1024") int queueMax,
    @DefaultValue("0") long lingerMillis) {

  /** The longest linger: it delays every accept at low load. */
  static final long LINGER_MILLIS_MAX = 50;

  public GroupCommitProperties {
    if (batchMax < 1 || lanes < 1 || queueMax < lanes) {
      throw new IllegalArgumentException(
          "paystream.transfers.group-commit: batch-max and lanes"
              + " must be at least 1, and queue-max at least lanes");
    }
    if (lingerMillis < 0 || lingerMillis > LINGER_MILLIS_MAX) {
      throw new IllegalArgumentException(
          "paystream.transfers.group-commit.linger-millis must be 0.."
              + LINGER_MILLIS_MAX
              + ": "
              + lingerMillis);
    }
  }

  /** {@link #lingerMillis} as a duration. */
  public Duration linger() {
    return Duration.ofMillis(lingerMillis);
  }
}
