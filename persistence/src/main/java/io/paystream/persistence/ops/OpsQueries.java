package io.paystream.persistence.ops;

import java.math.BigDecimal;
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
