package io.paystream.persistence.audit;

import io.paystream.persistence.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The append-only audit trail (table {@code audit_event}; the database refuses UPDATE, DELETE and
 * TRUNCATE). {@link #append} joins the caller's transaction when there is one, so a fact is
 * recorded exactly when the change it describes commits.
 */
@Repository
public class AuditStore {

  static final String COLUMNS =
      "id, type, user_id, request_id, client_address, metadata::text AS metadata, created_at";

  private final DatabaseClient db;

  public AuditStore(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> append(AuditRecord record) {
    return appendAll(List.of(record));
  }

  /** {@link #append} for many records in one statement, inserted in list order. */
  public Mono<Void> appendAll(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return Mono.empty();
    }
    int n = records.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    UUID[] users = new UUID[n];
    String[] requestIds = new String[n];
    String[] addresses = new String[n];
    String[] metadata = new String[n];
    String[] createdAt = new String[n];
    for (int i = 0; i < n; i++) {
      AuditRecord record = records.get(i);
      ids[i] = record.id();
      types[i] = record.type();
      users[i] = record.userId();
      requestIds[i] = record.requestId();
      addresses[i] = record.clientAddress();
      metadata[i] = record.metadata();
      createdAt[i] = record.createdAt().toString();
    }
    return db.sql(
            """
            INSERT INTO audit_event (id, type, user_id, request_id, client_address, metadata,
                                     created_at)
            SELECT id, type, user_id, request_id, client_address, CAST(metadata AS jsonb),
                   created_at
              FROM unnest(:ids::uuid[], :types::text[], :users::uuid[], :requestIds::text[],
                          :addresses::text[], :metadata::text[], :createdAt::timestamptz[])
                   WITH ORDINALITY AS a(id, type, user_id, request_id, client_address, metadata,
                                        created_at, n)
             ORDER BY n""")
        .bind("ids", ids)
        .bind("types", types)
        .bind("users", users)
        .bind("requestIds", requestIds)
        .bind("addresses", addresses)
        .bind("metadata", metadata)
        .bind("createdAt", createdAt)
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == n
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "recorded " + rows + " of " + n + " audit events")));
  }

  /**
   * Newest first (ids are time-ordered), strictly before {@code beforeId} when given, optionally
   * only one user's or one type's events.
   */
  public Flux<AuditRecord> page(UUID userId, String type, UUID beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE true");
    if (userId != null) {
      sql.append(" AND user_id = :user");
    }
    if (type != null) {
      sql.append(" AND type = :type");
    }
    if (beforeId != null) {
      sql.append(" AND id < :before");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (userId != null) {
      spec = spec.bind("user", userId);
    }
    if (type != null) {
      spec = spec.bind("type", type);
    }
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(
            row ->
                new AuditRecord(
                    row.get("id", UUID.class),
                    row.get("type", String.class),
                    row.get("user_id", UUID.class),
                    row.get("request_id", String.class),
                    row.get("client_address", String.class),
                    row.get("metadata", String.class),
                    Timestamps.instant(row.get("created_at", Instant.class))))
        .all();
  }
}
