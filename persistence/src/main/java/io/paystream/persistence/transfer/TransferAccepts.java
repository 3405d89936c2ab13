package io.paystream.persistence.transfer;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Money;
import io.paystream.domain.PostingRules;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.RiskLimit;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferRules;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.account.SystemAccounts;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.Appended;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payer's side of many transfers in one transaction (group commit of accepts): what {@link
 * TransferStore#accept} does for one transfer, for a batch, in a fixed number of statements
 * whatever its size. Each transfer is still decided on its own, in the order given, against the
 * balance the transfers before it left: a payer whose money runs out mid-batch has the rest of its
 * transfers refused with {@code insufficient_funds}, each with its own reason, while the others in
 * the batch go ahead.
 *
 * <p>The payers' rows are locked first, in id order, in one statement; the decisions are then made
 * in memory on the locked rows, and one UPDATE per batch moves each payer's total. The payees are
 * only read, as in the single accept: their credit comes later. Locking payers in id order, as the
 * credit leg locks payees, two batches (or a batch and a settlement) sharing accounts wait for each
 * other instead of deadlocking. The lock is {@code FOR NO KEY UPDATE}, the one the UPDATE takes
 * anyway: {@code FOR UPDATE} would also conflict with the key-share lock the foreign key of every
 * new transfer takes on its payee, and two batches paying each other's accounts would deadlock on
 * it.
 *
 * <p>Transfers with daily or velocity limits need the payer's history and are not taken here (the
 * caller sends them through {@link TransferStore#accept}).
 */
@Repository
public class TransferAccepts {

  /** What happened to one transfer of the batch: accepted (PENDING) or refused. */
  public record Outcome(Transfer transfer, RejectedException rejected) {

    public Outcome {
      if ((transfer == null) == (rejected == null)) {
        throw new IllegalArgumentException("an outcome is a transfer or a refusal");
      }
    }
  }

  private final DatabaseClient db;
  private final SystemAccounts systemAccounts;
  private final LedgerStore ledger;
  private final OutboxStore outbox;
  private final JsonMapper json;
  private final Clock clock;

  TransferAccepts(
      DatabaseClient db,
      SystemAccounts systemAccounts,
      LedgerStore ledger,
      OutboxStore outbox,
      JsonMapper json,
      Clock clock) {
    this.db = db;
    this.systemAccounts = systemAccounts;
    this.ledger = ledger;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Accepts or refuses each transfer, in order; one outcome per request. Runs inside the caller's
   * transaction, which must also store the answers: a refusal writes nothing here. Fails only when
   * the database does, or when a request needs its payer's history.
   */
  public Mono<List<Outcome>> accept(List<AcceptTransfer> requests) {
    for (AcceptTransfer request : requests) {
      if (request.limits().needsHistory(request.amount().currency())) {
        return Mono.error(
            new IllegalArgumentException(
                "a transfer with daily or velocity limits is accepted alone"));
      }
    }
    if (requests.isEmpty()) {
      return Mono.just(List.of());
    }
    return lockPayersReadPayees(requests)
        .collectMap(Account::id)
        .flatMap(
            accounts -> {
              Decisions decisions = decide(requests, accounts);
              return write(decisions).thenReturn(decisions.outcomes);
            });
  }

  /** The payers locked in id order, then the payees that are not also payers, unlocked. */
  private Flux<Account> lockPayersReadPayees(List<AcceptTransfer> requests) {
    UUID[] payers =
        requests.stream()
            .map(AcceptTransfer::fromAccountId)
            .distinct()
            .sorted()
            .toArray(UUID[]::new);
    UUID[] payees =
        requests.stream().map(AcceptTransfer::toAccountId).distinct().toArray(UUID[]::new);
    return db.sql(
            """
            WITH payer AS (
                SELECT id, owner_id, currency, balance, status, created_at FROM account
                 WHERE id = ANY(:payers) AND kind = 'CUSTOMER' ORDER BY id FOR NO KEY UPDATE
            )
            SELECT id, owner_id, currency, balance, status, created_at FROM payer
             UNION ALL
            SELECT id, owner_id, currency, balance, status, created_at FROM account
             WHERE id = ANY(:payees) AND kind = 'CUSTOMER' AND NOT id = ANY(:payers)""")
        .bind("payers", payers)
        .bind("payees", payees)
        .map(AccountStore::map)
        .all();
  }

  /** Each request against the balances the earlier ones left, as if accepted one by one. */
  private Decisions decide(List<AcceptTransfer> requests, Map<UUID, Account> found) {
    Instant now = Timestamps.now(clock);
    Map<UUID, Account> current = new HashMap<>(found);
    Decisions decisions = new Decisions(now);
    for (AcceptTransfer request : requests) {
      Account from = current.get(request.fromAccountId());
      Money amount = request.amount();
      RejectedException refusal = null;
      if (from == null || !(request.asOps() || from.isOwnedBy(request.requestedBy()))) {
        refusal = new RejectedException(Rejection.ACCOUNT_NOT_FOUND, "account not found");
      } else if (!current.containsKey(request.toAccountId())) {
        refusal = new RejectedException(Rejection.ACCOUNT_NOT_FOUND, "recipient account not found");
      } else {
        var rule =
            TransferRules.check(from, current.get(request.toAccountId()), amount, request.limits());
        if (rule.isPresent()) {
          refusal =
              rule.get() == Rejection.LIMIT_EXCEEDED
                  ? RiskLimit.PER_TRANSFER_MAX.breach(
                      "the amount is above the per-transfer limit for " + amount.currencyCode())
                  : new RejectedException(rule.get(), TransferStore.explain(rule.get(), request));
        }
      }
      if (refusal != null) {
        decisions.outcomes.add(new Outcome(null, refusal));
        continue;
      }
      Account after =
          new Account(
              from.id(),
              from.ownerId(),
              from.currency(),
              from.balance() - amount.minorUnits(),
              from.status(),
              from.createdAt());
      current.put(after.id(), after);
      Transfer transfer =
          Transfer.accept(
              request.fromAccountId(), request.toAccountId(), amount, request.description(), now);
      decisions.accepted(transfer, request.requestedBy(), after.balance());
    }
    return decisions;
  }

  private Mono<Void> write(Decisions decisions) {
    if (decisions.accepted.isEmpty()) {
      return Mono.empty();
    }
    return debit(decisions.payerBalances)
        .then(insertTransfers(decisions))
        .then(
            Flux.fromIterable(decisions.accepted)
                .concatMap(
                    accepted ->
                        systemAccounts
                            .id(
                                SystemAccounts.Kind.TRANSIT,
                                accepted.transfer().amount().currency())
                            .map(transit -> journal(accepted, transit)))
                .collectList())
        .flatMap(journals -> ledger.appendAll(journals, decisions.now))
        .then(
            Mono.defer(
                () ->
                    outbox.appendAll(
                        Topics.EVENTS,
                        decisions.accepted.stream()
                            .map(accepted -> pending(accepted.transfer(), decisions.now))
                            .toList())));
  }

  /**
   * One conditional UPDATE for every payer: the rows are locked and the totals were decided on
   * them, so each must land exactly on the balance decided; anything else aborts the batch.
   */
  private Mono<Void> debit(Map<UUID, Long[]> payerBalances) {
    int n = payerBalances.size();
    UUID[] ids = new UUID[n];
    Long[] totals = new Long[n];
    int i = 0;
    for (Map.Entry<UUID, Long[]> payer : payerBalances.entrySet()) {
      ids[i] = payer.getKey();
      totals[i] = payer.getValue()[0];
      i++;
    }
    return db.sql(
            """
            UPDATE account a SET balance = a.balance - d.total
              FROM unnest(:ids::uuid[], :totals::bigint[]) AS d(id, total)
             WHERE a.id = d.id AND a.kind = 'CUSTOMER' AND a.status = 'ACTIVE'
               AND a.balance >= d.total
            RETURNING a.id, a.balance""")
        .bind("ids", ids)
        .bind("totals", totals)
        .map(row -> Map.entry(row.get("id", UUID.class), row.get("balance", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(
            debited -> {
              for (Map.Entry<UUID, Long[]> payer : payerBalances.entrySet()) {
                if (!Objects.equals(debited.get(payer.getKey()), payer.getValue()[1])) {
                  return Mono.error(
                      new IllegalStateException(
                          "payer "
                              + payer.getKey()
                              + " holds "
                              + debited.get(payer.getKey())
                              + " after the batch debit, not "
                              + payer.getValue()[1]));
                }
              }
              return Mono.<Void>empty();
            });
  }

  private Mono<Void> insertTransfers(Decisions decisions) {
    int n = decisions.accepted.size();
    UUID[] ids = new UUID[n];
    UUID[] from = new UUID[n];
    UUID[] to = new UUID[n];
    Long[] amounts = new Long[n];
    String[] currencies = new String[n];
    String[] descriptions = new String[n];
    UUID[] createdBy = new UUID[n];
    for (int i = 0; i < n; i++) {
      Accepted accepted = decisions.accepted.get(i);
      Transfer transfer = accepted.transfer();
      ids[i] = transfer.id();
      from[i] = transfer.fromAccountId();
      to[i] = transfer.toAccountId();
      amounts[i] = transfer.amount().minorUnits();
      currencies[i] = transfer.amount().currencyCode();
      descriptions[i] = transfer.description();
      createdBy[i] = accepted.requestedBy();
    }
    return db.sql(
            """
            INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency,
                                  description, status, failure_reason, created_by,
                                  created_at, updated_at)
            SELECT id, from_account_id, to_account_id, amount, currency, description,
                   'PENDING', NULL, created_by, :at, :at
              FROM unnest(:ids::uuid[], :from::uuid[], :to::uuid[], :amounts::bigint[],
                          :currencies::text[], :descriptions::text[], :createdBy::uuid[])
                   WITH ORDINALITY AS t(id, from_account_id, to_account_id, amount, currency,
                                        description, created_by, n)
             ORDER BY n""")
        .bind("ids", ids)
        .bind("from", from)
        .bind("to", to)
        .bind("amounts", amounts)
        .bind("currencies", currencies)
        .bind("descriptions", descriptions)
        .bind("createdBy", createdBy)
        .bind("at", decisions.now)
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

  private OutboxEvent pending(Transfer transfer, Instant at) {
    // Keyed by the payee, as every transfer event (TransferStore.publish).
    return new OutboxEvent(
        Ids.newId(),
        "transfer.pending",
        transfer.toAccountId().toString(),
        at,
        json.writeValueAsString(TransferDocument.of(transfer)));
  }

  private record Accepted(Transfer transfer, UUID requestedBy, long payerBalanceAfter) {}

  /** The outcomes in request order, and what the accepted ones write. */
  private static final class Decisions {
    final Instant now;
    final List<Outcome> outcomes = new ArrayList<>();
    final List<Accepted> accepted = new ArrayList<>();

    /** Per payer, in id order of first debit: {total debited, balance after the batch}. */
    final Map<UUID, Long[]> payerBalances = new LinkedHashMap<>();

    Decisions(Instant now) {
      this.now = now;
    }

    void accepted(Transfer transfer, UUID requestedBy, long payerBalanceAfter) {
      outcomes.add(new Outcome(transfer, null));
      accepted.add(new Accepted(transfer, requestedBy, payerBalanceAfter));
      Long[] payer =
          payerBalances.computeIfAbsent(transfer.fromAccountId(), id -> new Long[] {0L, 0L});
      payer[0] = Math.addExact(payer[0], transfer.amount().minorUnits());
      payer[1] = payerBalanceAfter;
    }
  }
}
