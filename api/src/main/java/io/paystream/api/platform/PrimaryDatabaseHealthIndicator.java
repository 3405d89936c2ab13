package io.paystream.api.platform;

import io.paystream.persistence.database.DatabaseProperties;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Readiness: whether this instance can take money, i.e. whether the pool reaches a PostgreSQL
 * server that accepts writes. A standby (after a failover the old primary may come back as one, and
 * a plain URL may point at it) answers queries but refuses every write, so it counts as DOWN, as
 * does no answer within {@code paystream.database.readiness-timeout-millis}. Kafka and Redis are
 * deliberately not part of readiness: the outbox and the fallbacks carry on without them, and a
 * load balancer must keep routing to the API through their outages.
 */
@Component("primaryDatabase")
public class PrimaryDatabaseHealthIndicator extends AbstractReactiveHealthIndicator {

  /** "on" on a standby, and on a primary whose sessions are forced read-only. */
  static final String READ_ONLY_QUERY = "SHOW transaction_read_only";

  private final ConnectionFactory connections;
  private final Duration timeout;

  @Autowired
  public PrimaryDatabaseHealthIndicator(
      ConnectionFactory connections, DatabaseProperties database) {
    this(connections, Duration.ofMillis(database.readinessTimeoutMillis()));
  }

  PrimaryDatabaseHealthIndicator(ConnectionFactory connections, Duration timeout) {
    super("PostgreSQL primary check failed");
    this.connections = connections;
    this.timeout = timeout;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    return Mono.usingWhen(
            connections.create(),
            connection -> readOnly(connection),
            Connection::close,
            (connection, error) -> connection.close(),
            Connection::close)
        .timeout(timeout)
        .map(
            readOnly ->
                "off".equals(readOnly)
                    ? builder.up().build()
                    : builder.down().withDetail("reason", "read-only (a standby)").build());
  }

  private static Mono<String> readOnly(Connection connection) {
    return Flux.from(connection.createStatement(READ_ONLY_QUERY).execute())
        .flatMap(result -> result.map((row, metadata) -> row.get(0, String.class)))
        .next()
        .defaultIfEmpty("unknown");
  }
}
