package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogStore;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A dedicated, unpooled connection LISTENing on the event-log channel (the same pattern as the
 * outbox relay's). PostgreSQL delivers the NOTIFY only when the sequencing transaction commits, so
 * each signal means "new positions are readable". Re-opened with backoff if it drops.
 */
@Component
public class EventLogNotifications {

  private final ConnectionFactory connections;

  public EventLogNotifications(ConnectionFactory connections) {
    this.connections = connections;
  }

  public Flux<String> listen() {
    ConnectionFactory direct = unpooled(connections);
    return Flux.usingWhen(
            Mono.from(direct.create()).cast(PostgresqlConnection.class),
            connection -> connection.createStatement("LISTEN " + EventLogStore.CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated)
                .thenMany(connection.getNotifications())
                .map(notification -> notification.getName()),
            connection -> connection.close())
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
            .maxBackoff(Duration.ofSeconds(10)).jitter(0.5));
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
