package io.paystream.persistence.database;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link DatabaseProperties} on every connection the driver opens, pooled or not (the LISTEN
 * connections of {@code PostgresChannels} come from the same factory, and so the same URL, hosts
 * and timeouts).
 *
 * <p>Recovery after the database restarts, fails over, or terminates our backends needs nothing
 * more: a connection the server closed fails the pool's validation on acquire and is replaced
 * ({@code spring.r2dbc.pool.acquire-retry}); a statement that was running on it fails, and the
 * request gets 503 {@code service_unavailable}, safe to retry with the same Idempotency-Key.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseConnections {

  @Bean
  ConnectionFactoryOptionsBuilderCustomizer databaseTimeouts(DatabaseProperties database) {
    return options ->
        options
            .option(
                ConnectionFactoryOptions.CONNECT_TIMEOUT,
                Duration.ofMillis(database.connectTimeoutMillis()))
            .option(
                PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT,
                Duration.ofMillis(database.statementTimeoutMillis()))
            .option(
                PostgresqlConnectionFactoryProvider.HOST_RECHECK_TIME,
                Duration.ofMillis(database.hostRecheckMillis()))
            .option(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE, database.tcpKeepAlive());
  }
}
