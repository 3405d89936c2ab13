package io.paystream.persistence.ops;

import io.paystream.persistence.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Read-only counts for operators. Each is one aggregate query; none takes a lock. */
@Repository
public class OpsQueries {

  private final DatabaseClient db;

  public OpsQueries(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Long> users() {
    return count("SELECT count(*) AS n FROM app_user");
  }

  public Mono<Map<String, Long>> accountsByStatus() {
    return grouped(
        "SELECT status AS k, count(*) AS n FROM account WHERE kind = 'CUSTOMER'"
            + " GROUP BY status ORDER BY status");
  }

  public Mono<Map<String, Long>> transfersByStatus() {
    return grouped(
        "SELECT status AS k, count(*) AS n FROM transfer GROUP BY status ORDER BY status");
  }

  /** Per currency: completed transfer volume and deposit volume, in minor units. */
  public Mono<List<Volume>> volumeByCurrency() {
    return db.sql(
            """
            SELECT currency,
                   SUM(CASE WHEN kind = 'TRANSFER' THEN amount ELSE 0 END) AS transfers,
                   SUM(CASE WHEN kind = 'DEPOSIT' THEN amount ELSE 0 END) AS deposits
              FROM (SELECT currency, amount, 'TRANSFER' AS kind FROM transfer
                     WHERE status = 'COMPLETED'
                    UNION ALL
                    SELECT currency, amount, 'DEPOSIT' AS kind FROM deposit) movements
             GROUP BY currency ORDER BY currency""")
        .map(
            row ->
                new Volume(
                    row.get("currency", String.class),
                    row.get("transfers", BigDecimal.class).longValueExact(),
                    row.get("deposits", BigDecimal.class).longValueExact()))
        .all()
        .collectList();
  }

  public record Volume(String currency, long completedTransfers, long deposits) {}

  /**
   * What the operators' overview shows of the database at one moment.
   *
   * @param accepted transfers accepted ({@code transfer.pending} events) in the window
   * @param completed transfers that reached COMPLETED in the window
   * @param failed transfers that reached FAILED in the window
   * @param pending transfers PENDING now
   * @param oldestPendingAt when the oldest PENDING transfer was accepted; null when none is
   * @param outboxBacklog outbox rows not yet sent to Kafka
   * @param deadLetters Kafka dead letters not yet replayed, plus dead webhook deliveries (of live
   *     endpoints): what {@code GET /api/v1/ops/dead-letters} lists and replay would clear
   */
  public record OverviewCounts(
      long accepted,
      long completed,
      long failed,
      long pending,
      Instant oldestPendingAt,
      long outboxBacklog,
      long deadLetters) {}

  /**
   * One statement, every part of it answered from an index, none taking a lock. The rates come from
   * the event log, which every instance appends each event to once ({@code event_log_sequenced_idx}
   * bounds the scan to the window's events), so they count the whole cluster's transfers, not only
   * this instance's, and they cost nothing on the hot {@code transfer} table. PENDING transfers are
   * counted on {@code transfer_status_idx (status, id)}, which also gives the oldest one (ids are
   * time-ordered); the backlog on the partial {@code outbox_unsent_idx}; dead letters on partial
   * indexes of their unreplayed and dead rows (V10). Each of those sets is small while the system
   * is healthy, and what grows in trouble is what an operator needs to see.
   *
   * @param since the window's start, inclusive (by the time an event was sequenced)
   * @param until the window's end, exclusive
   */
  public Mono<OverviewCounts> overview(Instant since, Instant until) {
    return db.sql(
            """
            WITH recent AS (
                SELECT event_type, count(*) AS n FROM event_log
                 WHERE sequenced_at >= :since AND sequenced_at < :until
                   AND event_type IN ('transfer.pending', 'transfer.completed', 'transfer.failed')
                 GROUP BY event_type)
            SELECT
              coalesce((SELECT n FROM recent WHERE event_type = 'transfer.pending'), 0)
                AS accepted,
              coalesce((SELECT n FROM recent WHERE event_type = 'transfer.completed'), 0)
                AS completed,
              coalesce((SELECT n FROM recent WHERE event_type = 'transfer.failed'), 0)
                AS failed,
              (SELECT count(*) FROM transfer WHERE status = 'PENDING') AS pending,
              (SELECT created_at FROM transfer WHERE status = 'PENDING' ORDER BY id LIMIT 1)
                AS oldest_pending_at,
              (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS outbox_backlog,
              (SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL)
                + (SELECT count(*) FROM webhook_delivery d
                     JOIN webhook_endpoint e ON e.id = d.endpoint_id
                    WHERE d.status = 'DEAD' AND e.deleted_at IS NULL) AS dead_letters""")
        .bind("since", since)
        .bind("until", until)
        .map(
            row ->
                new OverviewCounts(
                    row.get("accepted", Long.class),
                    row.get("completed", Long.class),
                    row.get("failed", Long.class),
                    row.get("pending", Long.class),
                    Timestamps.instant(row.get("oldest_pending_at", Instant.class)),
                    row.get("outbox_backlog", Long.class),
                    row.get("dead_letters", Long.class)))
        .one();
  }

  private Mono<Long> count(String sql) {
    return db.sql(sql).map(row -> row.get("n", Long.class)).one();
  }

  private Mono<Map<String, Long>> grouped(String sql) {
    return db.sql(sql)
        .map(row -> Map.entry(row.get("k", String.class), row.get("n", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
  }
}
