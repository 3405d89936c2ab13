package io.paystream.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The payee's side of pending transfers: credit the payee if it can take the money, otherwise
 * refund the payer. Decided in order, each against the balance the credits before it left, so a
 * batch reads exactly as if each transfer had been settled alone.
 */
public final class CreditBatch {

  private CreditBatch() {}

  /** What was decided for one pending transfer. */
  public sealed interface Decided permits Credit, Refund {
    Transfer transfer();
  }

  /** Credit the payee; {@code payeeBalanceAfter} is its balance right after this transfer. */
  public record Credit(Transfer transfer, long payeeBalanceAfter) implements Decided {
    public Credit {
      Objects.requireNonNull(transfer, "transfer");
    }
  }

  /** The payee cannot take the money: return it to the payer, with the reason the client sees. */
  public record Refund(Transfer transfer, String reason) implements Decided {
    public Refund {
      Objects.requireNonNull(transfer, "transfer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * One decision per transfer, in order.
   *
   * @param pending PENDING transfers, each at most once
   * @param payees the payees that exist, by id (locked by the caller); a missing one is refunded
   */
  public static List<Decided> decide(List<Transfer> pending, Map<UUID, Account> payees) {
    Map<UUID, Account> current = new HashMap<>(payees);
    List<Decided> decided = new ArrayList<>(pending.size());
    for (Transfer transfer : pending) {
      if (transfer.status() != TransferStatus.PENDING) {
        throw new IllegalStateException(
            "transfer " + transfer.id() + " is " + transfer.status() + ", not PENDING");
      }
      Account payee = current.get(transfer.toAccountId());
      if (payee == null) {
        decided.add(new Refund(transfer, "recipient account not found"));
        continue;
      }
      Decision<Account> credit = payee.credit(transfer.amount());
      if (credit.refusal() != null) {
        decided.add(new Refund(transfer, reason(payee, transfer, credit.refusal())));
        continue;
      }
      current.put(payee.id(), credit.value());
      decided.add(new Credit(transfer, credit.value().balance()));
    }
    return decided;
  }

  /** The reason names the payee's state, never its owner. */
  private static String reason(Account payee, Transfer transfer, Refusal refusal) {
    return switch (refusal.rejection()) {
      case ACCOUNT_NOT_ACTIVE ->
          "recipient account is " + payee.status().name().toLowerCase(Locale.ROOT);
      case LIMIT_EXCEEDED -> "recipient account cannot hold more";
      default -> "recipient account cannot take " + transfer.amount().currencyCode();
    };
  }
}
