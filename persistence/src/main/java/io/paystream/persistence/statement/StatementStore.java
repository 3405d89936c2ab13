package io.paystream.persistence.statement;

import io.paystream.persistence.Timestamps;
import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.LedgerStore;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rendered statements, and the ledger reads a statement is made of. Reads only, apart from {@link
 * #save}: a statement records money, it never moves any.
 */
@Repository
public class StatementStore {

  private final DatabaseClient db;

  public StatementStore(DatabaseClient db) {
    this.db = db;
  }

  /** The stored statement, if one was rendered. */
  public Mono<StoredStatement> find(UUID accountId, YearMonth month, String format) {
    return db.sql(
            """
            SELECT account_id, month, format, content, sha256, rendered_at, final FROM statement
             WHERE account_id = :account AND month = :month AND format = :format""")
        .bind("account", accountId)
        .bind("month", month.atDay(1))
        .bind("format", format)
        .map(StatementStore::map)
        .one();
  }

  /** When the stored statement was rendered and whether it is final, without its content. */
  public Mono<Status> status(UUID accountId, YearMonth month, String format) {
    return db.sql(
            """
            SELECT rendered_at, final FROM statement
             WHERE account_id = :account AND month = :month AND format = :format""")
        .bind("account", accountId)
        .bind("month", month.atDay(1))
        .bind("format", format)
        .map(
            row ->
                new Status(
                    Timestamps.instant(row.get("rendered_at", Instant.class)),
                    Boolean.TRUE.equals(row.get("final", Boolean.class))))
        .one();
  }

  /** A stored statement's rendering time and finality. */
  public record Status(Instant renderedAt, boolean isFinal) {}

  /**
   * Stores a rendering unless a final one is already there: a final statement is written once and
   * then never replaced (the database refuses it too), a current-month one is replaced by each
   * newer rendering. Safe to retry and to race: true only for the call whose row is stored.
   */
  public Mono<Boolean> save(StoredStatement statement) {
    if (statement.sha256().length != SHA256_BYTES) {
      throw new IllegalStateException(
          "a statement's digest is SHA-256: " + statement.sha256().length + " bytes");
    }
    return db.sql(
            """
            INSERT INTO statement (account_id, month, format, content, sha256, rendered_at, final)
            VALUES (:account, :month, :format, :content, :sha256, :renderedAt, :final)
            ON CONFLICT (account_id, month, format) DO UPDATE
               SET content = EXCLUDED.content, sha256 = EXCLUDED.sha256,
                   rendered_at = EXCLUDED.rendered_at, final = EXCLUDED.final
             WHERE NOT statement.final""")
        .bind("account", statement.accountId())
        .bind("month", statement.month().atDay(1))
        .bind("format", statement.format())
        .bind("content", statement.content())
        .bind("sha256", statement.sha256())
        .bind("renderedAt", statement.renderedAt())
        .bind("final", statement.isFinal())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  /**
   * Customer accounts that existed in {@code month} and still lack a final statement in one of the
   * {@code formats} for it, in id order after {@code afterId} (null: from the start). Keyset
   * paging, so an account that keeps failing cannot hold a run in a loop.
   */
  public Flux<UUID> accountsMissingFinal(YearMonth month, int formats, UUID afterId, int limit) {
    String after = afterId == null ? "" : " AND a.id > :after";
    var spec =
        db.sql(
                "SELECT a.id FROM account a WHERE a.kind = 'CUSTOMER'"
                    + " AND a.created_at < :until"
                    + after
                    + """
                 AND (SELECT count(*) FROM statement s
                       WHERE s.account_id = a.id AND s.month = :month AND s.final) < :formats
               ORDER BY a.id LIMIT :limit""")
            .bind("until", start(month.plusMonths(1)))
            .bind("month", month.atDay(1))
            .bind("formats", formats)
            .bind("limit", limit);
    if (afterId != null) {
      spec = spec.bind("after", afterId);
    }
    return spec.map(row -> row.get("id", UUID.class)).all();
  }

  /**
   * The account's entries stamped in {@code month}, in the order they changed the balance ({@code
   * seq}: each customer posting was inserted under the account's row lock, so insert order is the
   * order of the {@code balance_after} chain). At most {@code limit} entries.
   */
  public Flux<LedgerEntry> entriesOf(UUID accountId, YearMonth month, int limit) {
    return db.sql(
            "SELECT "
                + LedgerStore.ENTRY_COLUMNS
                + " FROM entry"
                + " WHERE account_id = :account AND created_at >= :from AND created_at < :until"
                + " ORDER BY seq LIMIT :limit")
        .bind("account", accountId)
        .bind("from", start(month))
        .bind("until", start(month.plusMonths(1)))
        .bind("limit", limit)
        .map(LedgerStore::map)
        .all();
  }

  /** The account's balance after its last entry stamped before {@code month}; 0 if none. */
  public Mono<Long> balanceBefore(UUID accountId, YearMonth month) {
    return db.sql(
            """
            SELECT balance_after FROM entry WHERE account_id = :account AND created_at < :from
             ORDER BY seq DESC LIMIT 1""")
        .bind("account", accountId)
        .bind("from", start(month))
        .map(row -> row.get("balance_after", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  /** Statements are by UTC calendar month, like the history endpoint's {@code month}. */
  public static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static final int SHA256_BYTES = 32;

  private static StoredStatement map(Readable row) {
    LocalDate month = row.get("month", LocalDate.class);
    return new StoredStatement(
        row.get("account_id", UUID.class),
        YearMonth.from(month),
        row.get("format", String.class),
        row.get("content", byte[].class),
        row.get("sha256", byte[].class),
        Timestamps.instant(row.get("rendered_at", Instant.class)),
        Boolean.TRUE.equals(row.get("final", Boolean.class)));
  }
}
