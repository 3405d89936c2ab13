package io.paystream.persistence.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the API talks to PostgreSQL when the database misbehaves, under {@code paystream.database}.
 * Each limit is checked at start-up: a value out of its range stops the instance with a message
 * naming the property. Together with the pool's {@code spring.r2dbc.pool.max-acquire-time} and
 * {@code max-create-connection-time} (checked by the api module, which sets them) they bound how
 * long a request can wait on the database.
 *
 * @param connectTimeoutMillis TCP connect to one host; with a failover URL ({@code
 *     r2dbc:postgresql:failover://h1,h2/db}) each host is tried in turn, so a dead host costs this
 *     much at most before the next is tried. 3 s: a healthy server on the same network answers in
 *     milliseconds, a stopped one refuses at once, and only a host that swallows packets waits this
 *     long
 * @param statementTimeoutMillis PostgreSQL's {@code statement_timeout} for every session: a
 *     statement (lock waits included) that runs longer is cancelled by the server and the request
 *     gets 503. 30 s: every statement of a request takes milliseconds and the longest batch job
 *     (statements, the outbox purge) a few seconds, so only a stuck statement reaches it
 * @param hostRecheckMillis how long a failover URL remembers which host was the primary or a
 *     standby before asking it again. 2 s, against the driver's 10 s: after a failover the promoted
 *     standby is found within that, and asking costs one query per new connection
 * @param tcpKeepAlive TCP keep-alive on every connection, so that a connection whose server
 *     vanished without closing it (a host powered off) is eventually found dead by the kernel
 *     rather than kept forever by the pool
 * @param readinessTimeoutMillis the readiness probe's whole check (a pooled connection and {@code
 *     SHOW transaction_read_only}); past it the instance reports itself not ready. 2 s: shorter
 *     than a load balancer's check interval, longer than a busy pool's usual wait
 */
@ConfigurationProperties("paystream.database")
public record DatabaseProperties(
    @DefaultValue("3000") long connectTimeoutMillis,
    @DefaultValue("30000") long statementTimeoutMillis,
    @DefaultValue("2000") long hostRecheckMillis,
    @DefaultValue("true") boolean tcpKeepAlive,
    @DefaultValue("2000") long readinessTimeoutMillis) {

  static final String PREFIX = "paystream.database.";

  public DatabaseProperties {
    check("connect-timeout-millis", connectTimeoutMillis, 100, 60_000);
    check("statement-timeout-millis", statementTimeoutMillis, 100, 3_600_000);
    check("host-recheck-millis", hostRecheckMillis, 100, 600_000);
    check("readiness-timeout-millis", readinessTimeoutMillis, 100, 60_000);
  }

  /** {@code value} if {@code min <= value <= max}; otherwise stops start-up naming the property. */
  static long check(String property, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }
}
