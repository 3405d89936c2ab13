package io.paystream.persistence.ledger;

import io.paystream.domain.Direction;
import io.paystream.domain.Ids;
import io.paystream.domain.Journal;
import io.paystream.domain.Metadata;
import io.paystream.domain.Posting;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.metadata.MetadataJson;
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
 * changed the balances it records; the journal has already proved it sums to zero per currency (see
 * {@link Journal}), and the database refuses any later UPDATE or DELETE of it.
 *
 * <p>Time: an entry's {@code created_at} is the database's clock when the statement writing it
 * started, which is after the UPDATE that moved (and locked) its customer account's balance. So the
 * entries of one account are stamped in the order its balance moved ({@code entry.seq} order), and
 * the entries stamped at or before any instant are a prefix of that order: the balance as of an
 * instant ({@link #balanceAt}) is both the sum of those entries and the {@code balance_after} of
 * the newest of them. Stamps taken by each instance's own clock before locking (as earlier releases
 * did) could fall out of that order by the milliseconds two transactions raced for one account.
 */
@Repository
public class LedgerStore {

  public static final String ENTRY_COLUMNS =
      "id, movement_id, account_id, direction, amount, currency,"
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
  public Mono<Void> append(
      Journal journal, Map<UUID, Long> balancesAfter, UUID counterparty, String description) {
    return appendAll(List.of(new Appended(journal, balancesAfter, counterparty, description)));
  }

  /**
   * One journal of {@link #appendAll}, with what {@link #append} takes for it (the same meaning of
   * each part).
   *
   * @param balancesAfter the customer accounts' balances right after this journal
   */
  public record Appended(
      Journal journal, Map<UUID, Long> balancesAfter, UUID counterparty, String description) {

    public Appended {
      if (journal.postings().size() != 2) {
        throw new IllegalStateException("only two-posting journals are recorded: " + journal);
      }
    }
  }

  /**
   * {@link #append} for many journals in one statement (one round trip whatever their number), the
   * same rows and values as one {@code append} per journal, inserted in list order: entry sequence
   * numbers follow it, and ids generated in order on one thread ascend, so entries sharing the
   * statement's {@code created_at} still list in that order wherever history sorts by ({@code
   * created_at}, {@code id}). Every journal and entry of the call is stamped with the statement's
   * start ({@code statement_timestamp()}), so both entries of a journal share one instant and no
   * instant splits a journal.
   */
  public Mono<Void> appendAll(List<Appended> journals) {
    if (journals.isEmpty()) {
      return Mono.empty();
    }
    int n = journals.size();
    UUID[] journalIds = new UUID[n];
    String[] kinds = new String[n];
    UUID[] movementIds = new UUID[n];
    String[] descriptions = new String[n];
    EntryColumns first = new EntryColumns(n);
    EntryColumns second = new EntryColumns(n);
    for (int i = 0; i < n; i++) {
      Appended appended = journals.get(i);
      Journal journal = appended.journal();
      Posting one = journal.postings().get(0);
      Posting two = journal.postings().get(1);
      journalIds[i] = journal.id();
      kinds[i] = journal.kind().name();
      movementIds[i] = journal.movementId();
      descriptions[i] = appended.description();
      first.set(
          i,
          one,
          appended.balancesAfter().get(one.accountId()),
          counterpartyOf(one, two, appended.balancesAfter(), appended.counterparty()));
      second.set(
          i,
          two,
          appended.balancesAfter().get(two.accountId()),
          counterpartyOf(two, one, appended.balancesAfter(), appended.counterparty()));
    }
    return db.sql(
            """
            WITH batch AS (
                SELECT * FROM unnest(:journalIds::uuid[], :kinds::text[], :movementIds::uuid[],
                                     :descriptions::text[],
                                     :ids1::uuid[], :accounts1::uuid[], :directions1::text[],
                                     :amounts1::bigint[], :currencies1::text[],
                                     :balances1::bigint[], :counterparties1::uuid[],
                                     :ids2::uuid[], :accounts2::uuid[], :directions2::text[],
                                     :amounts2::bigint[], :currencies2::text[],
                                     :balances2::bigint[], :counterparties2::uuid[])
                       WITH ORDINALITY AS b(journal_id, kind, movement_id, description,
                                            id1, account1, direction1, amount1, currency1,
                                            balance1, counterparty1,
                                            id2, account2, direction2, amount2, currency2,
                                            balance2, counterparty2, n)
            ), j AS (
                INSERT INTO journal (id, kind, movement_id, created_at)
                SELECT journal_id, kind, movement_id, statement_timestamp() FROM batch ORDER BY n
            )
            INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount,
                               currency, balance_after, counterparty_account_id, description,
                               created_at)
            SELECT e.id, b.journal_id, b.movement_id, e.account_id, e.direction, e.amount,
                   e.currency, e.balance_after, e.counterparty, b.description, statement_timestamp()
              FROM batch b
             CROSS JOIN LATERAL (VALUES
                   (b.id1, b.account1, b.direction1, b.amount1, b.currency1, b.balance1,
                    b.counterparty1, 1),
                   (b.id2, b.account2, b.direction2, b.amount2, b.currency2, b.balance2,
                    b.counterparty2, 2))
                   AS e(id, account_id, direction, amount, currency, balance_after,
                        counterparty, k)
             ORDER BY b.n, e.k""")
        .bind("journalIds", journalIds)
        .bind("kinds", kinds)
        .bind("movementIds", movementIds)
        .bind("descriptions", descriptions)
        .bind("ids1", first.ids)
        .bind("accounts1", first.accounts)
        .bind("directions1", first.directions)
        .bind("amounts1", first.amounts)
        .bind("currencies1", first.currencies)
        .bind("balances1", first.balances)
        .bind("counterparties1", first.counterparties)
        .bind("ids2", second.ids)
        .bind("accounts2", second.accounts)
        .bind("directions2", second.directions)
        .bind("amounts2", second.amounts)
        .bind("currencies2", second.currencies)
        .bind("balances2", second.balances)
        .bind("counterparties2", second.counterparties)
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == 2L * n
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "wrote " + rows + " entries for " + n + " journals")));
  }

  /** The columns of the first or the second entry of each journal, one array per column. */
  private static final class EntryColumns {
    final UUID[] ids;
    final UUID[] accounts;
    final String[] directions;
    final Long[] amounts;
    final String[] currencies;
    final Long[] balances;
    final UUID[] counterparties;

    EntryColumns(int n) {
      ids = new UUID[n];
      accounts = new UUID[n];
      directions = new String[n];
      amounts = new Long[n];
      currencies = new String[n];
      balances = new Long[n];
      counterparties = new UUID[n];
    }

    void set(int i, Posting posting, Long balanceAfter, UUID counterparty) {
      ids[i] = Ids.newId();
      accounts[i] = posting.accountId();
      directions[i] = posting.direction().name();
      amounts[i] = posting.amount().minorUnits();
      currencies[i] = posting.amount().currencyCode();
      balances[i] = balanceAfter;
      counterparties[i] = counterparty;
    }
  }

  private static UUID counterpartyOf(
      Posting posting, Posting other, Map<UUID, Long> balancesAfter, UUID counterparty) {
    return balancesAfter.containsKey(posting.accountId()) ? counterparty : other.accountId();
  }

  /** The newest {@code limit} entries of an account, newest first. */
  public Flux<LedgerEntry> latest(UUID accountId, int limit) {
    return db.sql(
            "SELECT "
                + ENTRY_COLUMNS
                + " FROM entry WHERE account_id = :account"
                + " ORDER BY created_at DESC, id DESC LIMIT :limit")
        .bind("account", accountId)
        .bind("limit", limit)
        .map(LedgerStore::map)
        .all();
  }

  /**
   * The entries of movements whose metadata holds every pair of a search: the transfers, deposits
   * and withdrawals found by their partial metadata indexes (V12), each an entry's {@code
   * movement_id}.
   */
  private static final String OF_LABELLED_MOVEMENTS =
      " AND movement_id IN ("
          + "SELECT id FROM transfer WHERE metadata <> '{}' AND metadata @> :metadata::jsonb"
          + " UNION ALL SELECT id FROM deposit WHERE metadata <> '{}' AND metadata @> :metadata::jsonb"
          + " UNION ALL SELECT id FROM withdrawal"
          + " WHERE metadata <> '{}' AND metadata @> :metadata::jsonb)";

  /**
   * One page of an account's entries in [{@code from}, {@code until}), newest first, strictly after
   * the position ({@code afterCreatedAt}, {@code afterId}) when given, and only those of movements
   * labelled with {@code metadata} when it is not null.
   */
  public Flux<LedgerEntry> page(
      UUID accountId,
      Instant from,
      Instant until,
      Instant afterCreatedAt,
      UUID afterId,
      Metadata metadata,
      int limit) {
    String position =
        afterCreatedAt == null ? "" : " AND (created_at, id) < (:afterCreatedAt, :afterId)";
    var spec =
        db.sql(
                "SELECT "
                    + ENTRY_COLUMNS
                    + " FROM entry WHERE account_id = :account"
                    + " AND created_at >= :from AND created_at < :until"
                    + position
                    + (metadata == null ? "" : OF_LABELLED_MOVEMENTS)
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit")
            .bind("account", accountId)
            .bind("from", from)
            .bind("until", until)
            .bind("limit", limit);
    if (afterCreatedAt != null) {
      spec = spec.bind("afterCreatedAt", afterCreatedAt).bind("afterId", afterId);
    }
    if (metadata != null) {
      spec = spec.bind("metadata", MetadataJson.write(metadata));
    }
    return spec.map(LedgerStore::map).all();
  }

  /** Signed sum of every entry per currency, system accounts included: each must be zero. */
  public Flux<CurrencySum> sumsByCurrency() {
    return db.sql(
            """
            SELECT currency,
                   SUM(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS total
              FROM entry GROUP BY currency ORDER BY currency""")
        .map(LedgerStore::currencySum)
        .all();
  }

  /**
   * Customer accounts whose running balance differs from the sum of their entries: must be none.
   */
  public Mono<Long> countUnreconciledAccounts() {
    return db.sql(
            """
            SELECT count(*) AS n FROM account a
             WHERE a.kind = 'CUSTOMER'
               AND a.balance <> COALESCE((SELECT SUM(CASE e.direction WHEN 'CREDIT' THEN e.amount
                                                                    ELSE -e.amount END)
                                            FROM entry e WHERE e.account_id = a.id), 0)""")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /**
   * A customer account's balance as of {@code at}: right after its newest entry stamped at or
   * before it, 0 before its first. One probe of {@code entry_account_time_idx}; entries sharing the
   * newest stamp (one statement moved the account more than once) are ordered by {@code seq}.
   */
  public Mono<Long> balanceAt(UUID accountId, Instant at) {
    return db.sql(
            """
            SELECT balance_after FROM entry
             WHERE account_id = :account AND created_at <= :at
             ORDER BY created_at DESC, seq DESC LIMIT 1""")
        .bind("account", accountId)
        .bind("at", at)
        .map(row -> row.get("balance_after", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  /** {@link #sumsByCurrency} over the entries stamped at or before {@code at}. */
  public Flux<CurrencySum> sumsByCurrencyAt(Instant at) {
    return db.sql(
            """
            SELECT currency,
                   SUM(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS total
              FROM entry WHERE created_at <= :at GROUP BY currency ORDER BY currency""")
        .bind("at", at)
        .map(LedgerStore::currencySum)
        .all();
  }

  /**
   * Customer accounts whose running balance as of {@code at} (the {@code balance_after} of their
   * newest entry stamped at or before it) differs from the sum of those entries: must be none. The
   * as-of counterpart of {@link #countUnreconciledAccounts}, which compares the live balance.
   */
  public Mono<Long> countUnreconciledAccountsAt(Instant at) {
    return db.sql(
            """
            SELECT count(*) AS n FROM (
                SELECT DISTINCT ON (e.account_id)
                       e.balance_after,
                       SUM(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END)
                           OVER (PARTITION BY e.account_id) AS total
                  FROM entry e
                 WHERE e.created_at <= :at
                   AND e.account_id IN (SELECT id FROM account WHERE kind = 'CUSTOMER')
                 ORDER BY e.account_id, e.created_at DESC, e.seq DESC) newest
             WHERE balance_after <> total""")
        .bind("at", at)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  public record CurrencySum(String currency, long sum) {}

  private static CurrencySum currencySum(Readable row) {
    return new CurrencySum(
        row.get("currency", String.class), row.get("total", BigDecimal.class).longValueExact());
  }

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
