package io.paystream.domain;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What happened to a movement of money, as the outbox records it in the transaction that caused it
 * and every consumer reads it back: the credit leg, the payout leg, the event log behind the SSE
 * streams, the recent-entries cache and the webhooks. Sealed, so a consumer's decision covers every
 * kind. Each carries its resource after the change; its {@link #type()} is the contract's event
 * name.
 */
public sealed interface MoneyEvent {

  /**
   * The event names of the public contract (CONTRACT.md, Live status). The other event, {@code
   * withdrawal.pending}, is an internal command between legs of a saga: it drives the payout leg
   * but never reaches a client's stream or webhook.
   */
  Set<String> PUBLIC_TYPES =
      Set.of(
          "transfer.pending",
          "transfer.completed",
          "transfer.failed",
          "withdrawal.processing",
          "withdrawal.completed",
          "withdrawal.failed",
          "deposit.completed",
          "hold.created",
          "hold.captured",
          "hold.voided",
          "hold.expired");

  /** Whether a client's stream or webhook may carry an event of {@code type}. */
  static boolean isPublic(String type) {
    return PUBLIC_TYPES.contains(type);
  }

  UUID eventId();

  Instant occurredAt();

  /** The contract's event name, e.g. {@code transfer.pending}. */
  String type();

  /**
   * The account whose side acts next, which orders the events: the payee for a transfer (one
   * payee's credits apply in order), the account for a deposit or withdrawal.
   */
  UUID key();

  /** The transfer, deposit, withdrawal or hold the event is about. */
  UUID resourceId();

  /** The accounts whose streams carry the event: the payer first, then the payee if any. */
  List<UUID> accounts();

  /** Whether the resource reached its final state with this event. */
  boolean isTerminal();

  /** A transfer's event: pending, completed or failed, as its status says. */
  record TransferEvent(UUID eventId, Instant occurredAt, Transfer transfer) implements MoneyEvent {

    public TransferEvent {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(transfer, "transfer");
    }

    @Override
    public String type() {
      return "transfer." + transfer.status().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public UUID key() {
      return transfer.toAccountId();
    }

    @Override
    public UUID resourceId() {
      return transfer.id();
    }

    @Override
    public List<UUID> accounts() {
      return List.of(transfer.fromAccountId(), transfer.toAccountId());
    }

    @Override
    public boolean isTerminal() {
      return transfer.status().isTerminal();
    }
  }

  /** A deposit landed: {@code deposit.completed}. */
  record DepositCompleted(UUID eventId, Instant occurredAt, Deposit deposit) implements MoneyEvent {

    public static final String TYPE = "deposit.completed";

    public DepositCompleted {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(deposit, "deposit");
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public UUID key() {
      return deposit.accountId();
    }

    @Override
    public UUID resourceId() {
      return deposit.id();
    }

    @Override
    public List<UUID> accounts() {
      return List.of(deposit.accountId());
    }

    @Override
    public boolean isTerminal() {
      return true;
    }
  }

  /**
   * A withdrawal's event, as its status says: {@code withdrawal.pending} (internal: it starts the
   * payout leg, and is not a contract event), {@code processing}, {@code completed} or {@code
   * failed}.
   */
  record WithdrawalEvent(UUID eventId, Instant occurredAt, Withdrawal withdrawal)
      implements MoneyEvent {

    public WithdrawalEvent {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(withdrawal, "withdrawal");
    }

    @Override
    public String type() {
      return "withdrawal." + withdrawal.status().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public UUID key() {
      return withdrawal.accountId();
    }

    @Override
    public UUID resourceId() {
      return withdrawal.id();
    }

    @Override
    public List<UUID> accounts() {
      return List.of(withdrawal.accountId());
    }

    @Override
    public boolean isTerminal() {
      return withdrawal.status().isTerminal();
    }

    /** Whether this is the internal event that starts the payout leg. */
    public boolean startsPayout() {
      return withdrawal.status() == WithdrawalStatus.PENDING;
    }
  }

  /**
   * A hold's event, as its status says: {@code hold.created} (HELD), {@code hold.captured}, {@code
   * hold.voided} or {@code hold.expired}. Keyed by the payer, whose account the hold reserves.
   */
  record HoldEvent(UUID eventId, Instant occurredAt, Hold hold) implements MoneyEvent {

    public HoldEvent {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(hold, "hold");
    }

    @Override
    public String type() {
      return hold.status().eventType();
    }

    @Override
    public UUID key() {
      return hold.fromAccountId();
    }

    @Override
    public UUID resourceId() {
      return hold.id();
    }

    @Override
    public List<UUID> accounts() {
      return List.of(hold.fromAccountId(), hold.toAccountId());
    }

    @Override
    public boolean isTerminal() {
      return hold.status().isFinal();
    }
  }

  /** A new event of {@code hold} as it is now, with a fresh id. */
  static MoneyEvent of(Hold hold, Instant at) {
    return new HoldEvent(Ids.newId(), at, hold);
  }

  /** A new event of {@code transfer} as it is now, with a fresh id. */
  static MoneyEvent of(Transfer transfer, Instant at) {
    return new TransferEvent(Ids.newId(), at, transfer);
  }

  /** A new event of {@code withdrawal} as it is now, with a fresh id. */
  static MoneyEvent of(Withdrawal withdrawal, Instant at) {
    return new WithdrawalEvent(Ids.newId(), at, withdrawal);
  }

  /** A new {@code deposit.completed}, with a fresh id. */
  static MoneyEvent of(Deposit deposit, Instant at) {
    return new DepositCompleted(Ids.newId(), at, deposit);
  }
}
