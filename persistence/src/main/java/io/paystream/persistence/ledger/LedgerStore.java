package io.paystream.persistence.ledger;

import io.paystream.domain.Direction;
import io.paystream.domain.Ids;
import io.paystream.domain.Journal;
import io.paystream.domain.Posting;
import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The append-only double-entry ledger. {@link #append} is called inside the transaction that
 * changed the balances it records; the journal has already proved it sums to zero per currency
 * (see {@link Journal}), and the database refuses any later UPDATE or DELETE of it.
 */
@Repository
public class LedgerStore {

  public static final String ENTRY_COLUMNS = "id, movement_id, account_id, direction, amount, currency,"
      + " balance_after, counterparty_account_id, description, created_at";

  private final DatabaseClient db;

  public LedgerStore(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Writes the journal and one entry per posting, in one statement.
   *
   * @param balancesAfter each customer account's balance after this journal, from the UPDATE that
   *     moved it; system accounts are absent (they keep no running balance)
   * @param counterparty the account a customer sees on its entries: the other customer of a
   *     transfer (not the TRANSIT account the money passes through), or null for a deposit.
   *     System-account entries name the customer account of the journal.
   */
  public Mono<Void> append(Journal journal, Map<UUID, Long> balancesAfter, UUID counterparty,
      String description, Instant at) {
    List<Posting> postings = journal.postings();
    if (postings.size() != 2) {
      throw new IllegalStateException("only two-posting journals are recorded: " + journal);
    }
    Posting first = postings.get(0);
    Posting second = postings.get(1);
    var spec = db.sql("""
            WITH j AS (
                INSERT INTO journal (id, kind, movement_id, created_at)
                VALUES (:journalId, :kind, :movementId, :at)
            )
            INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount, currency,
                               balance_after, counterparty_account_id, description, created_at)
            VALUES (:id1, :journalId, :movementId, :account1, :direction1, :amount1, :currency1,
                    :balance1, :counterparty1, :description, :at),
                   (:id2, :journalId, :movementId, :account2, :direction2, :amount2, :currency2,
                    :balance2, :counterparty2, :description, :at)""")
        .bind("journalId", journal.id())
        .bind("kind", journal.kind().name())
        .bind("movementId", journal.movementId())
        .bind("at", at)
        .bind("id1", Ids.newId())
        .bind("account1", first.accountId())
        .bind("direction1", first.direction().name())
        .bind("amount1", first.amount().minorUnits())
        .bind("currency1", first.amount().currencyCode())
        .bind("id2", Ids.newId())
        .bind("account2", second.accountId())
        .bind("direction2", second.direction().name())
        .bind("amount2", second.amount().minorUnits())
        .bind("currency2", second.amount().currencyCode());
    spec = spec.bind("balance1", Parameters.in(R2dbcType.BIGINT, balancesAfter.get(first.accountId())));
    spec = spec.bind("balance2", Parameters.in(R2dbcType.BIGINT, balancesAfter.get(second.accountId())));
    spec = spec.bind("description", Parameters.in(R2dbcType.VARCHAR, description));
    spec = bindAccount(spec, "counterparty1",
        counterpartyOf(first, second, balancesAfter, counterparty));
    spec = bindAccount(spec, "counterparty2",
        counterpartyOf(second, first, balancesAfter, counterparty));
    return spec.fetch().rowsUpdated().then();
  }

  private static UUID counterpartyOf(Posting posting, Posting other,
      Map<UUID, Long> balancesAfter, UUID counterparty) {
    return balancesAfter.containsKey(posting.accountId()) ? counterparty : other.accountId();
  }

  private static DatabaseClient.GenericExecuteSpec bindAccount(
      DatabaseClient.GenericExecuteSpec spec, String name, UUID account) {
    return account == null ? spec.bindNull(name, UUID.class) : spec.bind(name, account);
  }

  /** The newest {@code limit} entries of an account, newest first. */
  public Flux<LedgerEntry> latest(UUID accountId, int limit) {
    return db.sql("SELECT " + ENTRY_COLUMNS + " FROM entry WHERE account_id = :account"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
        .bind("account", accountId)
        .bind("limit", limit)
        .map(LedgerStore::map)
        .all();
  }

  /**
   * One page of an account's entries in [{@code from}, {@code until}), newest first, strictly
   * after the position ({@code afterCreatedAt}, {@code afterId}) when given.
   */
  public Flux<LedgerEntry> page(UUID accountId, Instant from, Instant until,
      Instant afterCreatedAt, UUID afterId, int limit) {
    String position = afterCreatedAt == null ? ""
        : " AND (created_at, id) < (:afterCreatedAt, :afterId)";
    var spec = db.sql("SELECT " + ENTRY_COLUMNS + " FROM entry WHERE account_id = :account"
            + " AND created_at >= :from AND created_at < :until" + position
            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
        .bind("account", accountId)
        .bind("from", from)
        .bind("until", until)
        .bind("limit", limit);
    if (afterCreatedAt != null) {
      spec = spec.bind("afterCreatedAt", afterCreatedAt).bind("afterId", afterId);
    }
    return spec.map(LedgerStore::map).all();
  }

  /** Signed sum of every entry per currency, system accounts included: each must be zero. */
  public Flux<CurrencySum> sumsByCurrency() {
    return db.sql("""
            SELECT currency,
                   SUM(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS total
              FROM entry GROUP BY currency ORDER BY currency""")
        .map(row -> new CurrencySum(row.get("currency", String.class),
            row.get("total", BigDecimal.class).longValueExact()))
        .all();
  }

  /** Customer accounts whose running balance differs from the sum of their entries: must be none. */
  public Mono<Long> countUnreconciledAccounts() {
    return db.sql("""
            SELECT count(*) AS n FROM account a
             WHERE a.kind = 'CUSTOMER'
               AND a.balance <> COALESCE((SELECT SUM(CASE e.direction WHEN 'CREDIT' THEN e.amount
                                                                    ELSE -e.amount END)
                                            FROM entry e WHERE e.account_id = a.id), 0)""")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  public record CurrencySum(String currency, long sum) {}

  public static LedgerEntry map(Readable row) {
    return new LedgerEntry(
        row.get("id", UUID.class),
        row.get("movement_id", UUID.class),
        row.get("account_id", UUID.class),
        Direction.valueOf(row.get("direction", String.class)),
        row.get("amount", Long.class),
        row.get("currency", String.class),
        row.get("balance_after", Long.class),
        row.get("counterparty_account_id", UUID.class),
        row.get("description", String.class),
        Timestamps.instant(row.get("created_at", Instant.class)));
  }
}
