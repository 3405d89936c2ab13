package io.paystream.persistence.account;

import io.paystream.domain.OutgoingHistory;
import io.paystream.domain.TransferLimits;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What accounts have sent recently (transfers and withdrawals alike), for the daily and velocity
 * limits: one statement for any number of accounts. Read it while the accounts' rows are locked, so
 * that a concurrent payment from the same account waits and is counted.
 */
@Repository
public class OutgoingPayments {

  private final DatabaseClient db;
  private final Clock clock;

  public OutgoingPayments(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Each account's total sent since the start of the UTC day (failed payments excluded) and its
   * payments within the velocity window (all of them: an attempt that failed still counts as one).
   * Every account in {@code accounts} has an entry.
   */
  public Mono<Map<UUID, OutgoingHistory>> of(Collection<UUID> accounts) {
    if (accounts.isEmpty()) {
      return Mono.just(Map.of());
    }
    Instant now = clock.instant();
    Instant dayStart = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Instant windowStart = now.minusSeconds(TransferLimits.VELOCITY_WINDOW_SECONDS);
    return db.sql(
            """
            SELECT p.id,
                   COALESCE(SUM(o.amount) FILTER (WHERE o.created_at >= :dayStart
                                                   AND o.status <> 'FAILED'), 0) AS sent,
                   count(o.amount) FILTER (WHERE o.created_at >= :windowStart) AS recent
              FROM unnest(:ids::uuid[]) AS p(id)
              LEFT JOIN LATERAL (
                  SELECT amount, status, created_at FROM transfer
                   WHERE from_account_id = p.id AND created_at >= LEAST(:dayStart, :windowStart)
                   UNION ALL
                  SELECT amount, status, created_at FROM withdrawal
                   WHERE account_id = p.id AND created_at >= LEAST(:dayStart, :windowStart)
              ) o ON true
             GROUP BY p.id""")
        .bind("ids", accounts.stream().distinct().toArray(UUID[]::new))
        .bind("dayStart", dayStart)
        .bind("windowStart", windowStart)
        .map(
            row ->
                Map.entry(
                    row.get("id", UUID.class),
                    new OutgoingHistory(
                        row.get("sent", BigDecimal.class).longValueExact(),
                        row.get("recent", Long.class))))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }
}
