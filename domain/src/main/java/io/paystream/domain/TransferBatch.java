package io.paystream.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides a batch of transfer requests in order, each against the balances and outgoing histories
 * the ones before it left: exactly as if each had been decided alone, one after the other. A payer
 * whose money runs out mid-batch has its later transfers refused with {@code insufficient_funds},
 * while the others go ahead. A single transfer is a batch of one.
 */
public final class TransferBatch {

  private TransferBatch() {}

  /** What was decided for one request. */
  public sealed interface Decided permits Accepted, Refused {}

  /** Accepted: the new PENDING transfer and the payer's balance right after it. */
  public record Accepted(Transfer transfer, long payerBalanceAfter) implements Decided {
    public Accepted {
      Objects.requireNonNull(transfer, "transfer");
    }
  }

  /** Refused before anything moved. */
  public record Refused(Refusal refusal) implements Decided {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  /**
   * One decision per request, in order.
   *
   * @param accounts the payers (locked by the caller) and payees that exist, by id; a missing
   *     account is refused as not found
   * @param histories each payer's recent outgoing payments, for the payers whose currency has a
   *     daily or velocity limit; read under the payer's lock
   */
  public static List<Decided> decide(
      List<TransferRequest> requests,
      Map<UUID, Account> accounts,
      Map<UUID, OutgoingHistory> histories,
      Instant now) {
    Map<UUID, Account> current = new HashMap<>(accounts);
    Map<UUID, OutgoingHistory> sent = new HashMap<>(histories);
    List<Decided> decided = new ArrayList<>(requests.size());
    for (TransferRequest request : requests) {
      Account from = current.get(request.fromAccountId());
      Account to = current.get(request.toAccountId());
      Decision<Account> decision;
      if (from == null || !request.mayDebit(from)) {
        // Refused as if it did not exist: the caller may not learn of others' accounts.
        decision = Decision.refused(Rejection.ACCOUNT_NOT_FOUND, "account not found");
      } else if (to == null) {
        decision = Decision.refused(Rejection.ACCOUNT_NOT_FOUND, "recipient account not found");
      } else {
        decision =
            TransferRules.decide(from, to, request.amount(), request.limits(), sent.get(from.id()));
      }
      if (decision.refusal() != null) {
        decided.add(new Refused(decision.refusal()));
        continue;
      }
      Account payer = decision.value();
      current.put(payer.id(), payer);
      sent.computeIfPresent(payer.id(), (id, history) -> history.plus(request.amount()));
      decided.add(
          new Accepted(
              Transfer.accept(
                  request.fromAccountId(),
                  request.toAccountId(),
                  request.amount(),
                  request.description(),
                  request.metadata(),
                  request.refundOf(),
                  now),
              payer.balance()));
    }
    return decided;
  }
}
