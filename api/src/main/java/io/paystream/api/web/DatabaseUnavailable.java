package io.paystream.api.web;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Whether a failure means "the database could not be reached or went away", as opposed to a bug: a
 * connection refused or closed under a statement, a backend terminated by the server (restart,
 * failover, {@code pg_terminate_backend}), a server starting up or a standby that cannot write.
 * PostgreSQL rolls back a transaction whose connection is lost, but a connection may also break
 * after its COMMIT was sent, so the request may or may not have taken effect: the answer is 503,
 * and a retry with the same Idempotency-Key either applies it or replays the stored answer. The
 * pool replaces the broken connection meanwhile. A SQLSTATE of any other class stays a bug (500):
 * the ledger's triggers raise errors too, and those must never look like an outage.
 */
final class DatabaseUnavailable {

  /**
   * admin_shutdown, crash_shutdown, cannot_connect_now (class 57, operator intervention), and
   * read_only_sql_transaction (a write reached a standby, seen during a failover).
   */
  private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "25006");

  /** SQLSTATE class 08: connection exception. */
  private static final String CONNECTION_CLASS = "08";

  private DatabaseUnavailable() {}

  static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof R2dbcException database && isUnavailable(database)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailable(R2dbcException failure) {
    String state = failure.getSqlState();
    if (state == null) {
      // Raised by the driver, not the server: it could not connect, or the connection closed.
      return failure instanceof R2dbcNonTransientResourceException
          || failure instanceof R2dbcTransientResourceException;
    }
    return state.startsWith(CONNECTION_CLASS) || STATES.contains(state);
  }
}
