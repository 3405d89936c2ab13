package io.paystream.api.money;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of transfer accepts, under {@code paystream.transfers.group-commit}.
 *
 * @param enabled false sends every transfer through its own transaction (the path transfers
 *     with daily or velocity limits always take); for comparison runs
 * @param batchMax the most transfers one transaction accepts
 * @param inFlightMax the most accept transactions running at once; while all are running, new
 *     transfers wait and the next free one takes them together. Small on purpose: the batches
 *     grow instead of the queue inside PostgreSQL
 * @param queueMax the most transfers waiting for a free accept transaction; one more is answered
 *     503 with Retry-After at once. Eight full batches: on this machine about a second of
 *     accepts, within any client's timeout, and a bound on the memory the waiting requests hold
 */
@ConfigurationProperties("paystream.transfers.group-commit")
public record GroupCommitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("128") int batchMax,
    @DefaultValue("4") int inFlightMax,
    @DefaultValue("1024") int queueMax) {

  public GroupCommitProperties {
    if (batchMax < 1 || inFlightMax < 1 || queueMax < 1) {
      throw new IllegalArgumentException("paystream.transfers.group-commit: batch-max,"
          + " in-flight-max and queue-max must be at least 1");
    }
  }
}
