package io.paystream.persistence.statement;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The cluster-wide lock of the monthly statement job: at most one instance renders at a time.
 *
 * <p>A transaction-scoped advisory lock ({@code pg_try_advisory_xact_lock}) on a connection of its
 * own, held while the work runs on other pooled connections. Scoped to a transaction, not to the
 * session, so it can never leak into the pool with a returned connection: commit, rollback, a lost
 * connection or a crashed instance all release it. The lock's transaction writes nothing and reads
 * with no snapshot between statements, so keeping it open holds back no vacuum.
 */
@Component
public class StatementJobLock {

  /**
   * The two-int advisory key space, which PostgreSQL keeps apart from the one-bigint space that the
   * idempotency locks hash into, so no key can collide with them. 0x50535431 is "PST1".
   */
  static final int LOCK_CLASS = 0x50535431;

  static final int LOCK_MONTHLY_STATEMENTS = 1;

  private final ConnectionFactory connections;

  public StatementJobLock(ConnectionFactory connections) {
    this.connections = connections;
  }

  /**
   * Runs {@code work} if no other instance holds the lock, and releases it afterwards. Never waits
   * for the lock: true if the work ran (and completed), false if another run holds it. Errors of
   * the work are passed on after the lock is released; retrying is safe when the work is.
   */
  public Mono<Boolean> tryRun(Mono<Void> work) {
    return Mono.usingWhen(
        Mono.from(connections.create()),
        connection ->
            Mono.from(connection.beginTransaction())
                .then(tryLock(connection))
                .flatMap(locked -> locked ? work.thenReturn(true) : Mono.just(false)),
        StatementJobLock::release,
        (connection, error) -> release(connection),
        StatementJobLock::release);
  }

  private static Mono<Boolean> tryLock(Connection connection) {
    return Mono.from(
            connection
                .createStatement("SELECT pg_try_advisory_xact_lock($1, $2)")
                .bind(0, LOCK_CLASS)
                .bind(1, LOCK_MONTHLY_STATEMENTS)
                .execute())
        .flatMap(result -> Mono.from(result.map((row, meta) -> row.get(0, Boolean.class))));
  }

  /** Rollback ends the transaction and with it the lock; it wrote nothing to keep. */
  private static Mono<Void> release(Connection connection) {
    return Mono.from(connection.rollbackTransaction())
        .onErrorResume(error -> Mono.empty())
        .then(Mono.from(connection.close()));
  }
}
