package io.paystream.messaging.relay;

import io.paystream.persistence.outbox.OutboxStore;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A dedicated, unpooled PostgreSQL connection that LISTENs on the outbox channel. PostgreSQL
 * delivers a NOTIFY only when the writing transaction commits, so each signal means "committed
 * rows are waiting". The connection is re-opened with backoff if it drops.
 */
@Component
public class OutboxNotifications {

  private final ConnectionFactory connections;

  public OutboxNotifications(ConnectionFactory connections) {
    this.connections = connections;
  }

  public Flux<String> listen() {
    ConnectionFactory direct = unpooled(connections);
    return Flux.usingWhen(
            Mono.from(direct.create()).cast(PostgresqlConnection.class),
            connection -> connection.createStatement("LISTEN " + OutboxStore.CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated)
                .thenMany(connection.getNotifications())
                .map(notification -> notification.getName()),
            connection -> connection.close())
        .retryWhen(OutboxRelay.reconnect());
  }

  @SuppressWarnings("unchecked")
  private static ConnectionFactory unpooled(ConnectionFactory factory) {
    ConnectionFactory current = factory;
    while (current instanceof Wrapped<?> wrapped
        && wrapped.unwrap() instanceof ConnectionFactory inner) {
      current = inner;
    }
    return current;
  }
}
