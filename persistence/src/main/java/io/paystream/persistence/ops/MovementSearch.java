package io.paystream.persistence.ops;

import io.paystream.domain.Metadata;
import io.paystream.persistence.metadata.MetadataJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * What operators search transfers and withdrawals by; every criterion is optional (null) and they
 * combine with AND. Results come newest first (ids are time-ordered), strictly before {@code
 * beforeId} when given.
 *
 * @param status the exact status name
 * @param accountId an account on either side of a transfer, or a withdrawal's account
 * @param ownedAccountIds the accounts of one customer (found by e-mail); an empty list matches
 *     nothing
 * @param id the exact id
 * @param from earliest {@code createdAt}, inclusive
 * @param to {@code createdAt} bound, exclusive
 * @param metadata pairs the movement's metadata must hold (the API searches by one)
 */
public record MovementSearch(
    String status,
    UUID accountId,
    List<UUID> ownedAccountIds,
    UUID id,
    Instant from,
    Instant to,
    Metadata metadata,
    UUID beforeId,
    int limit) {

  public MovementSearch {
    ownedAccountIds = ownedAccountIds == null ? null : List.copyOf(ownedAccountIds);
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
  }

  /**
   * This search as one statement over {@code table}, newest first, selecting {@code columns}. The
   * tables differ only in how an account matches: {@code accountMatch} over {@code :account} (one
   * account) and {@code ownedMatch} over {@code :owned} (a customer's accounts, a uuid array).
   */
  public GenericExecuteSpec statement(
      DatabaseClient db, String columns, String table, String accountMatch, String ownedMatch) {
    StringBuilder sql = new StringBuilder("SELECT " + columns + " FROM " + table + " WHERE true");
    Map<String, Object> binds = new LinkedHashMap<>();
    where(sql, binds, " AND id = :id", "id", id);
    where(sql, binds, " AND status = :status", "status", status);
    where(sql, binds, " AND " + accountMatch, "account", accountId);
    where(
        sql,
        binds,
        " AND " + ownedMatch,
        "owned",
        ownedAccountIds == null ? null : ownedAccountIds.toArray(UUID[]::new));
    where(sql, binds, " AND created_at >= :from", "from", from);
    where(sql, binds, " AND created_at < :to", "to", to);
    // The first condition lets the partial index on metadata (V12) serve the second.
    where(
        sql,
        binds,
        " AND metadata <> '{}' AND metadata @> :metadata::jsonb",
        "metadata",
        metadata == null ? null : MetadataJson.write(metadata));
    where(sql, binds, " AND id < :before", "before", beforeId);
    sql.append(" ORDER BY id DESC LIMIT :limit");
    GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    for (Map.Entry<String, Object> bind : binds.entrySet()) {
      spec = spec.bind(bind.getKey(), bind.getValue());
    }
    return spec;
  }

  /** Appends {@code condition} and its parameter when the criterion is given. */
  private static void where(
      StringBuilder sql, Map<String, Object> binds, String condition, String name, Object value) {
    if (value != null) {
      sql.append(condition);
      binds.put(name, value);
    }
  }

  /** Whether the search is certain to find nothing: a customer without accounts. */
  public boolean matchesNothing() {
    return ownedAccountIds != null && ownedAccountIds.isEmpty();
  }
}
