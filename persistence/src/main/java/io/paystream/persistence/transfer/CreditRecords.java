package io.paystream.persistence.transfer;

import io.paystream.domain.Direction;
import io.paystream.domain.Ids;
import io.paystream.domain.Journal;
import io.paystream.domain.JournalKind;
import io.paystream.domain.Posting;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a batch of completed credits writes, each kind in one statement whatever the batch size:
 * the journals and their entries, the COMPLETED statuses and the {@code transfer.completed}
 * outbox events. Rows are inserted in the order given, so entry and outbox sequence numbers
 * follow the order of the messages. Call inside the transaction that credited the payees.
 *
 * <p>The ledger statement is the multi-row form of {@link
 * io.paystream.persistence.ledger.LedgerStore#append} (same columns, same values, one round trip
 * instead of one per transfer); the events go through {@link OutboxStore#appendAll}.
 */
@Repository
class CreditRecords {

  private final DatabaseClient db;
  private final OutboxStore outbox;
  private final JsonMapper json;

  CreditRecords(DatabaseClient db, OutboxStore outbox, JsonMapper json) {
    this.db = db;
    this.outbox = outbox;
    this.json = json;
  }

  /**
   * One completed credit: its TRANSIT -> payee journal (already proved balanced by {@link
   * Journal}) and the payee's balance right after this journal.
   */
  record Credited(Transfer done, Journal journal, long payeeBalanceAfter) {

    Credited {
      if (done.status() != TransferStatus.COMPLETED) {
        throw new IllegalStateException("transfer " + done.id() + " is " + done.status());
      }
      List<Posting> postings = journal.postings();
      if (journal.kind() != JournalKind.TRANSFER_CREDIT || postings.size() != 2
          || postings.get(0).direction() != Direction.DEBIT
          || !postings.get(1).accountId().equals(done.toAccountId())
          || postings.get(1).direction() != Direction.CREDIT) {
        throw new IllegalStateException("not a TRANSIT -> payee journal: " + journal);
      }
      if (payeeBalanceAfter < postings.get(1).amount().minorUnits()) {
        throw new IllegalStateException("payee balance " + payeeBalanceAfter
            + " after crediting " + postings.get(1).amount() + " of " + done.id());
      }
    }
  }

  Mono<Void> append(List<Credited> credited, Instant at) {
    if (credited.isEmpty()) {
      return Mono.empty();
    }
    return journals(credited, at).then(complete(credited, at)).then(publish(credited, at));
  }

  private Mono<Void> journals(List<Credited> credited, Instant at) {
    int n = credited.size();
    UUID[] journalIds = new UUID[n];
    UUID[] movementIds = new UUID[n];
    UUID[] debitIds = new UUID[n];
    UUID[] transits = new UUID[n];
    UUID[] creditIds = new UUID[n];
    UUID[] payees = new UUID[n];
    Long[] amounts = new Long[n];
    String[] currencies = new String[n];
    Long[] balances = new Long[n];
    UUID[] payers = new UUID[n];
    String[] descriptions = new String[n];
    for (int i = 0; i < n; i++) {
      Credited row = credited.get(i);
      Posting debit = row.journal().postings().get(0);
      Posting credit = row.journal().postings().get(1);
      journalIds[i] = row.journal().id();
      movementIds[i] = row.journal().movementId();
      // Generated in order on one thread: UUIDv7 ids ascend, so entries sharing one created_at
      // still list in message order wherever history sorts by (created_at, id).
      debitIds[i] = Ids.newId();
      creditIds[i] = Ids.newId();
      transits[i] = debit.accountId();
      payees[i] = credit.accountId();
      amounts[i] = credit.amount().minorUnits();
      currencies[i] = credit.amount().currencyCode();
      balances[i] = row.payeeBalanceAfter();
      payers[i] = row.done().fromAccountId();
      descriptions[i] = row.done().description();
    }
    // The system entry names the customer account of the journal as its counterparty, the
    // customer entry the other customer: as LedgerStore.append does for one journal.
    return db.sql("""
            WITH batch AS (
                SELECT * FROM unnest(:journalIds::uuid[], :movementIds::uuid[],
                                     :debitIds::uuid[], :transits::uuid[],
                                     :creditIds::uuid[], :payees::uuid[],
                                     :amounts::bigint[], :currencies::text[],
                                     :balances::bigint[], :payers::uuid[],
                                     :descriptions::text[])
                       WITH ORDINALITY AS b(journal_id, movement_id, debit_id, transit,
                                            credit_id, payee, amount, currency, balance_after,
                                            payer, description, n)
            ), j AS (
                INSERT INTO journal (id, kind, movement_id, created_at)
                SELECT journal_id, :kind, movement_id, :at FROM batch ORDER BY n
            )
            INSERT INTO entry (id, journal_id, movement_id, account_id, direction, amount,
                               currency, balance_after, counterparty_account_id, description,
                               created_at)
            SELECT e.id, b.journal_id, b.movement_id, e.account_id, e.direction, b.amount,
                   b.currency, e.balance_after, e.counterparty, b.description, :at
              FROM batch b
             CROSS JOIN LATERAL (VALUES
                   (b.debit_id, b.transit, 'DEBIT', NULL::bigint, b.payee, 1),
                   (b.credit_id, b.payee, 'CREDIT', b.balance_after, b.payer, 2))
                   AS e(id, account_id, direction, balance_after, counterparty, k)
             ORDER BY b.n, e.k""")
        .bind("journalIds", journalIds)
        .bind("movementIds", movementIds)
        .bind("debitIds", debitIds)
        .bind("transits", transits)
        .bind("creditIds", creditIds)
        .bind("payees", payees)
        .bind("amounts", amounts)
        .bind("currencies", currencies)
        .bind("balances", balances)
        .bind("payers", payers)
        .bind("descriptions", descriptions)
        .bind("kind", JournalKind.TRANSFER_CREDIT.name())
        .bind("at", at)
        .fetch().rowsUpdated()
        .flatMap(rows -> rows == 2L * n ? Mono.<Void>empty() : Mono.error(new IllegalStateException(
            "wrote " + rows + " entries for " + n + " credit journals")));
  }

  private Mono<Void> complete(List<Credited> credited, Instant at) {
    UUID[] ids = credited.stream().map(row -> row.done().id()).toArray(UUID[]::new);
    return db.sql("""
            UPDATE transfer SET status = 'COMPLETED', failure_reason = NULL, updated_at = :at
             WHERE id = ANY(:ids) AND status = 'PENDING'""")
        .bind("at", at)
        .bind("ids", ids)
        .fetch().rowsUpdated()
        .flatMap(rows -> rows == ids.length ? Mono.<Void>empty()
            : Mono.error(new IllegalStateException("only " + rows + " of " + ids.length
                + " transfers were still PENDING when completed")));
  }

  private Mono<Void> publish(List<Credited> credited, Instant at) {
    List<OutboxEvent> events = credited.stream().map(row -> {
      Transfer done = row.done();
      // Keyed by the payee, as every transfer event (TransferStore.publish).
      return new OutboxEvent(Ids.newId(), "transfer.completed", done.toAccountId().toString(), at,
          json.writeValueAsString(TransferDocument.of(done)));
    }).toList();
    return outbox.appendAll(Topics.EVENTS, events);
  }
}
