package io.paystream.persistence.notify;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * LISTEN on a PostgreSQL channel over a dedicated, unpooled connection, re-opened with backoff and
 * jitter whenever it drops. PostgreSQL delivers a NOTIFY only when the writing transaction commits,
 * so each payload describes committed rows. Notifications sent while the connection was down are
 * lost: a listener that caches state must drop it when told it is no longer listening.
 */
@Component
public class PostgresChannels {

  private final ConnectionFactory connections;

  public PostgresChannels(ConnectionFactory connections) {
    this.connections = connections;
  }

  /** Payloads of {@code channel} ("" for none), for as long as the subscription lasts. */
  public Flux<String> listen(String channel) {
    return listen(channel, listening -> {});
  }

  /**
   * @param listening told {@code true} each time LISTEN has taken effect (at first and after every
   *     reconnect), and {@code false} when the connection is lost
   */
  public Flux<String> listen(String channel, Consumer<Boolean> listening) {
    ConnectionFactory direct = unpooled(connections);
    return Flux.usingWhen(
            Mono.from(direct.create()).cast(PostgresqlConnection.class),
            connection ->
                connection
                    .createStatement("LISTEN " + channel)
                    .execute()
                    .flatMap(PostgresqlResult::getRowsUpdated)
                    .doOnComplete(() -> listening.accept(true))
                    .thenMany(connection.getNotifications())
                    .map(
                        notification ->
                            notification.getParameter() == null ? "" : notification.getParameter()),
            connection -> connection.close())
        .doFinally(signal -> listening.accept(false))
        .retryWhen(reconnect());
  }

  /** Backoff between attempts to re-open a lost connection. */
  public static Retry reconnect() {
    return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
        .maxBackoff(Duration.ofSeconds(10))
        .jitter(0.5);
  }

  private static ConnectionFactory unpooled(ConnectionFactory factory) {
    ConnectionFactory current = factory;
    while (current instanceof Wrapped<?> wrapped
        && wrapped.unwrap() instanceof ConnectionFactory inner) {
      current = inner;
    }
    return current;
  }
}
