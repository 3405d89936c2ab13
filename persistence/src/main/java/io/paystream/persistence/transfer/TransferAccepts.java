package io.paystream.persistence.transfer;

import io.paystream.domain.Account;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.OutgoingHistory;
import io.paystream.domain.PostingRules;
import io.paystream.domain.Refusal;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferBatch;
import io.paystream.domain.TransferBatch.Accepted;
import io.paystream.domain.TransferBatch.Decided;
import io.paystream.domain.TransferBatch.Refused;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountBalances;
import io.paystream.persistence.account.AccountBalances.Change;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.OutgoingPayments;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.Appended;
import io.paystream.persistence.metadata.MetadataJson;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.TraceParents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payer's side of transfers: the only way a transfer is accepted. A single transfer is a batch
 * of one; concurrent ones share a transaction (group commit, see the api module's acceptor). Each
 * transfer is decided on its own, in the order given, by {@link TransferBatch} against the balances
 * and outgoing histories the ones before it left; then a fixed number of statements, whatever the
 * batch's size, carries the decisions out: one debit per payer ({@link AccountBalances}), the
 * PENDING transfers, their journals (payer -> TRANSIT), and their {@code transfer.pending} events.
 *
 * <p>The payers' rows are locked first, in id order, and the payees read, in one statement; the
 * decisions are made in memory on the locked rows, and the debit checks it landed on the balances
 * decided. The payees are only read: their credit comes later, through Kafka (the saga).
 */
@Repository
public class TransferAccepts {

  private final DatabaseClient db;
  private final AccountStore accounts;
  private final AccountBalances balances;
  private final OutgoingPayments outgoing;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final Clock clock;

  TransferAccepts(
      DatabaseClient db,
      AccountStore accounts,
      AccountBalances balances,
      OutgoingPayments outgoing,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.balances = balances;
    this.outgoing = outgoing;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Accepts or refuses each transfer, in order; one decision per request. Call inside the
   * transaction that also stores the answers: a refusal writes nothing here. Fails only when the
   * database does, or when a decision did not hold in the database (a bug).
   */
  public Mono<List<Decided>> accept(List<TransferRequest> requests) {
    if (requests.isEmpty()) {
      return Mono.just(List.of());
    }
    Instant now = Timestamps.now(clock);
    return decide(requests, now)
        .flatMap(decided -> write(requests, decided, now).thenReturn(decided));
  }

  /**
   * Accepts every one of {@code requests} or none: decided as {@link #accept} decides a batch (each
   * against what the earlier ones left), then written only if none was refused. The first refusal
   * fails the call with its {@link RejectedException}, naming the request's index ({@link
   * Refusal#atLeg}), and nothing is written. Call inside a transaction.
   */
  public Mono<List<Transfer>> acceptAllOrNone(List<TransferRequest> requests) {
    Instant now = Timestamps.now(clock);
    return decide(requests, now)
        .flatMap(
            decided -> {
              List<Transfer> accepted = new ArrayList<>(decided.size());
              for (int i = 0; i < decided.size(); i++) {
                if (decided.get(i) instanceof Refused refused) {
                  return Mono.error(refused.refusal().atLeg(i).exception());
                }
                accepted.add(((Accepted) decided.get(i)).transfer());
              }
              return write(requests, decided, now).thenReturn(accepted);
            });
  }

  /**
   * Locks the payers (and reads the payees) in id order, then decides every request in order, each
   * against what the earlier ones left; writes nothing.
   */
  private Mono<List<Decided>> decide(List<TransferRequest> requests, Instant now) {
    return lockAndDecide(requests, now, null, 0L).map(Locked::decided);
  }

  /** The accounts as locked and read (before any decision), and the decisions. */
  private record Locked(Map<UUID, Account> found, List<Decided> decided) {}

  /**
   * {@link #decide}, with {@code released} minor units of what {@code releasing} holds counted as
   * available (a hold being captured); none when {@code releasing} is null.
   */
  private Mono<Locked> lockAndDecide(
      List<TransferRequest> requests, Instant now, UUID releasing, long released) {
    List<UUID> payers = requests.stream().map(TransferRequest::fromAccountId).toList();
    List<UUID> payees = requests.stream().map(TransferRequest::toAccountId).toList();
    return accounts
        .lock(payers, payees)
        .flatMap(
            locked -> {
              Map<UUID, Account> found = new LinkedHashMap<>(locked);
              if (releasing != null) {
                found.computeIfPresent(releasing, (id, account) -> account.release(released));
              }
              return histories(requests, found)
                  .map(
                      histories ->
                          new Locked(
                              locked, TransferBatch.decide(requests, found, histories, now)));
            });
  }

  /**
   * Decides {@code request} as a transfer now (the payer's status, currency, available balance and
   * limits) without writing anything, for a hold of its amount. The payer's row stays locked until
   * the transaction ends. Fails with the refusal's {@link RejectedException}.
   *
   * @return the payer as locked, before the hold
   */
  public Mono<Account> decideHold(TransferRequest request) {
    return lockAndDecide(List.of(request), Timestamps.now(clock), null, 0L)
        .flatMap(
            locked ->
                locked.decided().get(0) instanceof Refused refused
                    ? Mono.error(refused.refusal().exception())
                    : Mono.just(locked.found().get(request.fromAccountId())));
  }

  /**
   * Accepts {@code request}, the capture of a hold that reserves {@code held} minor units of its
   * payer: decided with that money available again, then (if accepted) the hold's reservation is
   * released and the transfer written as {@link #accept} writes one. A refusal fails the call with
   * its {@link RejectedException} and writes nothing, so the hold stays as it was. Call inside a
   * transaction, with the hold's row locked.
   */
  public Mono<Transfer> capture(TransferRequest request, long held) {
    Instant now = Timestamps.now(clock);
    List<TransferRequest> requests = List.of(request);
    return lockAndDecide(requests, now, request.fromAccountId(), held)
        .flatMap(
            locked -> {
              if (locked.decided().get(0) instanceof Refused refused) {
                return Mono.error(refused.refusal().exception());
              }
              Account payer = locked.found().get(request.fromAccountId());
              Accepted accepted = (Accepted) locked.decided().get(0);
              return balances
                  .release(List.of(new Change(payer.id(), held, payer.held() - held)))
                  .then(write(requests, locked.decided(), now))
                  .thenReturn(accepted.transfer());
            });
  }

  /** The outgoing history of each payer whose currency has a daily or velocity limit. */
  private Mono<Map<UUID, OutgoingHistory>> histories(
      List<TransferRequest> requests, Map<UUID, Account> found) {
    List<UUID> limited =
        requests.stream()
            .filter(request -> request.limits().needsHistory(request.amount().currency()))
            .map(TransferRequest::fromAccountId)
            .filter(found::containsKey)
            .distinct()
            .toList();
    return outgoing.of(limited);
  }

  private Mono<Void> write(List<TransferRequest> requests, List<Decided> decided, Instant now) {
    List<Accepted> accepted = new ArrayList<>();
    List<TransferRequest> acceptedRequests = new ArrayList<>();
    List<UUID> requestedBy = new ArrayList<>();
    for (int i = 0; i < decided.size(); i++) {
      if (decided.get(i) instanceof Accepted one) {
        accepted.add(one);
        acceptedRequests.add(requests.get(i));
        requestedBy.add(requests.get(i).requestedBy());
      }
    }
    if (accepted.isEmpty()) {
      return Mono.empty();
    }
    return balances
        .debit(debits(accepted))
        .then(insertTransfers(accepted, requestedBy, now))
        .then(
            Flux.fromIterable(accepted)
                .concatMap(
                    one ->
                        systemAccounts
                            .id(SystemAccounts.Kind.TRANSIT, one.transfer().amount().currency())
                            .map(transit -> journal(one, transit)))
                .collectList())
        .flatMap(ledger::appendAll)
        .then(
            Mono.defer(
                () -> {
                  List<MoneyEvent> events =
                      accepted.stream().map(one -> MoneyEvent.of(one.transfer(), now)).toList();
                  // Each transfer's row continues the trace of the request that asked for it.
                  return outbox
                      .appendAll(events)
                      .contextWrite(
                          context ->
                              TraceParents.ByRequest.forEvents(context, acceptedRequests, events));
                }));
  }

  /** One debit per payer: the batch's total from it, landing on the balance after its last. */
  private static List<Change> debits(List<Accepted> accepted) {
    Map<UUID, long[]> byPayer = new LinkedHashMap<>();
    for (Accepted one : accepted) {
      long[] payer =
          byPayer.computeIfAbsent(one.transfer().fromAccountId(), id -> new long[] {0L, 0L});
      payer[0] = Math.addExact(payer[0], one.transfer().amount().minorUnits());
      payer[1] = one.payerBalanceAfter();
    }
    return byPayer.entrySet().stream()
        .map(payer -> new Change(payer.getKey(), payer.getValue()[0], payer.getValue()[1]))
        .toList();
  }

  private Mono<Void> insertTransfers(List<Accepted> accepted, List<UUID> requestedBy, Instant at) {
    int n = accepted.size();
    UUID[] ids = new UUID[n];
    UUID[] from = new UUID[n];
    UUID[] to = new UUID[n];
    Long[] amounts = new Long[n];
    String[] currencies = new String[n];
    String[] descriptions = new String[n];
    String[] metadata = new String[n];
    UUID[] refundOf = new UUID[n];
    UUID[] createdBy = requestedBy.toArray(UUID[]::new);
    for (int i = 0; i < n; i++) {
      Transfer transfer = accepted.get(i).transfer();
      ids[i] = transfer.id();
      from[i] = transfer.fromAccountId();
      to[i] = transfer.toAccountId();
      amounts[i] = transfer.amount().minorUnits();
      currencies[i] = transfer.amount().currencyCode();
      descriptions[i] = transfer.description();
      metadata[i] = MetadataJson.write(transfer.metadata());
      refundOf[i] = transfer.refundOf();
    }
    return db.sql(
            """
            INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency,
                                  description, metadata, refund_of, status, failure_reason,
                                  created_by, created_at, updated_at)
            SELECT id, from_account_id, to_account_id, amount, currency, description,
                   metadata::jsonb, refund_of, 'PENDING', NULL, created_by, :at, :at
              FROM unnest(:ids::uuid[], :from::uuid[], :to::uuid[], :amounts::bigint[],
                          :currencies::text[], :descriptions::text[], :metadata::text[],
                          :refundOf::uuid[], :createdBy::uuid[])
                   WITH ORDINALITY AS t(id, from_account_id, to_account_id, amount, currency,
                                        description, metadata, refund_of, created_by, n)
             ORDER BY n""")
        .bind("ids", ids)
        .bind("from", from)
        .bind("to", to)
        .bind("amounts", amounts)
        .bind("currencies", currencies)
        .bind("descriptions", descriptions)
        .bind("metadata", metadata)
        .bind("refundOf", refundOf)
        .bind("createdBy", createdBy)
        .bind("at", at)
        .fetch()
        .rowsUpdated()
        .flatMap(
            rows ->
                rows == n
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException("inserted " + rows + " of " + n + " transfers")));
  }

  /** The payer -> TRANSIT journal, with the payer's balance right after this transfer. */
  private static Appended journal(Accepted accepted, UUID transit) {
    Transfer transfer = accepted.transfer();
    return new Appended(
        PostingRules.transferDebit(
            transfer.id(), transfer.fromAccountId(), transit, transfer.amount()),
        Map.of(transfer.fromAccountId(), accepted.payerBalanceAfter()),
        transfer.toAccountId(),
        transfer.description());
  }
}
