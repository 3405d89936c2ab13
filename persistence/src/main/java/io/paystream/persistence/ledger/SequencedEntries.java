package io.paystream.persistence.ledger;

import java.util.Collection;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/**
 * Customer-account entries with their insertion sequence ({@code entry.seq}), for the
 * recent-entries cache. An account's entries are written under its row lock (the balance UPDATE
 * comes first), so for one customer account seq order is the order its balance moved in.
 */
@Repository
public class SequencedEntries {

  private final DatabaseClient db;

  public SequencedEntries(DatabaseClient db) {
    this.db = db;
  }

  /** An entry and its position in the account's history. */
  public record SequencedEntry(long seq, LedgerEntry entry) {}

  /** The newest {@code limit} entries of an account, newest (highest seq) first. */
  public Flux<SequencedEntry> latest(UUID accountId, int limit) {
    return db.sql(
            "SELECT seq, "
                + LedgerStore.ENTRY_COLUMNS
                + " FROM entry"
                + " WHERE account_id = :account ORDER BY seq DESC LIMIT :limit")
        .bind("account", accountId)
        .bind("limit", limit)
        .map(row -> new SequencedEntry(row.get("seq", Long.class), LedgerStore.map(row)))
        .all();
  }

  /**
   * The movement's few entries by {@code entry_movement_idx}, then one primary-key probe per entry
   * for its account's kind. Written so that no statistics can turn it around: as a join, a plan
   * driven from account (chosen while its statistics still said "3 customers") probed every
   * account's entries, 7 ms of database time per event at only 1,000 accounts.
   */
  static final String OF_MOVEMENT =
      "SELECT e.seq, "
          + prefixed("e")
          + " FROM entry e"
          + " WHERE e.movement_id = :movement"
          + " AND (SELECT a.kind FROM account a WHERE a.id = e.account_id) = 'CUSTOMER'"
          + " ORDER BY e.seq";

  /** The customer-account entries a movement (transfer, deposit) wrote, oldest first. */
  public Flux<SequencedEntry> ofMovement(UUID movementId) {
    return db.sql(OF_MOVEMENT)
        .bind("movement", movementId)
        .map(row -> new SequencedEntry(row.get("seq", Long.class), LedgerStore.map(row)))
        .all();
  }

  /**
   * {@link #ofMovement} for many movements in one statement (the consumer's batch): their
   * customer-account entries, in seq order, so each account's still come oldest first.
   */
  public Flux<SequencedEntry> ofMovements(Collection<UUID> movementIds) {
    if (movementIds.isEmpty()) {
      return Flux.empty();
    }
    return db.sql(OF_MOVEMENTS)
        .bind("movements", movementIds.toArray(UUID[]::new))
        .map(row -> new SequencedEntry(row.get("seq", Long.class), LedgerStore.map(row)))
        .all();
  }

  /** As {@link #OF_MOVEMENT}, by {@code entry_movement_idx} for each movement of the array. */
  static final String OF_MOVEMENTS =
      "SELECT e.seq, "
          + prefixed("e")
          + " FROM entry e"
          + " WHERE e.movement_id = ANY(:movements)"
          + " AND (SELECT a.kind FROM account a WHERE a.id = e.account_id) = 'CUSTOMER'"
          + " ORDER BY e.seq";

  private static String prefixed(String alias) {
    return alias + "." + LedgerStore.ENTRY_COLUMNS.replace(", ", ", " + alias + ".");
  }
}
