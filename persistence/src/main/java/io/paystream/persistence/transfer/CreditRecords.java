package io.paystream.persistence.transfer;

import io.paystream.domain.Direction;
import io.paystream.domain.Journal;
import io.paystream.domain.JournalKind;
import io.paystream.domain.Posting;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.ledger.LedgerStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What a batch of completed credits writes, each kind in one statement whatever the batch size: the
 * journals and their entries, and the COMPLETED statuses. Rows are inserted in the order given, so
 * entry sequence numbers follow the order of the messages. Call inside the transaction that
 * credited the payees. (Their {@code transfer.completed} events are the caller's: {@link
 * TransferSettlement.Settlement}.)
 *
 * <p>The journals go through {@link LedgerStore#appendAll} (the rows of one {@link
 * LedgerStore#append} per transfer, one round trip).
 */
@Repository
class CreditRecords {

  private final DatabaseClient db;
  private final LedgerStore ledger;

  CreditRecords(DatabaseClient db, LedgerStore ledger) {
    this.db = db;
    this.ledger = ledger;
  }

  /**
   * One completed credit: its TRANSIT -> payee journal (already proved balanced by {@link Journal})
   * and the payee's balance right after this journal.
   */
  record Credited(Transfer done, Journal journal, long payeeBalanceAfter) {

    Credited {
      if (done.status() != TransferStatus.COMPLETED) {
        throw new IllegalStateException("transfer " + done.id() + " is " + done.status());
      }
      List<Posting> postings = journal.postings();
      if (journal.kind() != JournalKind.TRANSFER_CREDIT
          || postings.size() != 2
          || postings.get(0).direction() != Direction.DEBIT
          || !postings.get(1).accountId().equals(done.toAccountId())
          || postings.get(1).direction() != Direction.CREDIT) {
        throw new IllegalStateException("not a TRANSIT -> payee journal: " + journal);
      }
      if (payeeBalanceAfter < postings.get(1).amount().minorUnits()) {
        throw new IllegalStateException(
            "payee balance "
                + payeeBalanceAfter
                + " after crediting "
                + postings.get(1).amount()
                + " of "
                + done.id());
      }
    }
  }

  Mono<Void> append(List<Credited> credited, Instant at) {
    if (credited.isEmpty()) {
      return Mono.empty();
    }
    return journals(credited).then(complete(credited, at));
  }

  private Mono<Void> journals(List<Credited> credited) {
    // The payee's entry names the payer as its counterparty, the TRANSIT entry the payee.
    return ledger.appendAll(
        credited.stream()
            .map(
                row ->
                    new LedgerStore.Appended(
                        row.journal(),
                        Map.of(row.done().toAccountId(), row.payeeBalanceAfter()),
                        row.done().fromAccountId(),
                        row.done().description()))
            .toList());
  }

  private Mono<Void> complete(List<Credited> credited, Instant at) {
    UUID[] ids = credited.stream().map(row -> row.done().id()).toArray(UUID[]::new);
    return db.sql(
            """
            UPDATE transfer SET status = 'COMPLETED', failure_reason = NULL, updated_at = :at
             WHERE id = ANY(:ids) AND status = 'PENDING'""")
        .bind("at", at)
        .bind("ids", ids)
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == ids.length
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "only "
                                + rows
                                + " of "
                                + ids.length
                                + " transfers were still PENDING when completed")));
  }
}
