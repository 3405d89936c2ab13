package io.paystream.persistence.outbox;

import io.paystream.domain.MoneyEvent;
import io.paystream.domain.MoneyEvent.DepositCompleted;
import io.paystream.domain.MoneyEvent.HoldEvent;
import io.paystream.domain.MoneyEvent.TransferEvent;
import io.paystream.domain.MoneyEvent.WithdrawalEvent;
import io.paystream.persistence.deposit.DepositDocument;
import io.paystream.persistence.hold.HoldDocument;
import io.paystream.persistence.transfer.TransferDocument;
import io.paystream.persistence.withdrawal.WithdrawalDocument;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer and the one reader of money events as they travel. An event is written into the
 * outbox as an {@link OutboxEvent} whose {@code data} is its resource's public JSON (the document
 * clients see in responses, SSE and webhooks), and read back from that payload, whichever consumer
 * reads it. Nothing else builds or parses the envelope.
 */
@Component
public class EventEnvelope {

  /** An event read back, and its resource's public JSON exactly as it travelled. */
  public record Received(MoneyEvent event, String data) {}

  private final JsonMapper json;

  public EventEnvelope(JsonMapper json) {
    this.json = json;
  }

  /** The envelope of {@code event}, keyed by {@link MoneyEvent#key()}. */
  public OutboxEvent write(MoneyEvent event) {
    return new OutboxEvent(
        event.eventId(),
        event.type(),
        event.key().toString(),
        event.occurredAt(),
        json.writeValueAsString(document(event)));
  }

  /**
   * The event in {@code payload}, an outbox row's payload as Kafka carries it.
   *
   * @throws UndecodableEventException if it is not a money event this version can read
   */
  public Received read(String payload) {
    OutboxEvent envelope;
    try {
      envelope = json.readValue(payload, OutboxEvent.class);
    } catch (RuntimeException e) {
      throw new UndecodableEventException("not an event envelope", e);
    }
    if (envelope == null) {
      throw new UndecodableEventException("not an event envelope: null", null);
    }
    MoneyEvent event;
    try {
      event = event(envelope);
    } catch (RuntimeException e) {
      throw new UndecodableEventException(
          "event " + envelope.eventId() + " of type " + envelope.type() + " is not readable", e);
    }
    if (!event.type().equals(envelope.type()) || !event.key().toString().equals(envelope.key())) {
      throw new UndecodableEventException(
          "event "
              + envelope.eventId()
              + " says "
              + envelope.type()
              + " keyed "
              + envelope.key()
              + " but carries "
              + event.type()
              + " of "
              + event.key(),
          null);
    }
    return new Received(event, envelope.data());
  }

  private MoneyEvent event(OutboxEvent envelope) {
    String type = envelope.type();
    if (type.startsWith("transfer.")) {
      return new TransferEvent(
          envelope.eventId(),
          envelope.occurredAt(),
          json.readValue(envelope.data(), TransferDocument.class).toTransfer());
    }
    if (type.startsWith("withdrawal.")) {
      return new WithdrawalEvent(
          envelope.eventId(),
          envelope.occurredAt(),
          json.readValue(envelope.data(), WithdrawalDocument.class).toWithdrawal());
    }
    if (type.startsWith("hold.")) {
      return new HoldEvent(
          envelope.eventId(),
          envelope.occurredAt(),
          json.readValue(envelope.data(), HoldDocument.class).toHold());
    }
    if (type.equals(DepositCompleted.TYPE)) {
      return new DepositCompleted(
          envelope.eventId(),
          envelope.occurredAt(),
          json.readValue(envelope.data(), DepositDocument.class).toDeposit());
    }
    throw new IllegalArgumentException("unknown event type " + type);
  }

  private static Object document(MoneyEvent event) {
    if (event instanceof TransferEvent transfer) {
      return TransferDocument.of(transfer.transfer());
    }
    if (event instanceof WithdrawalEvent withdrawal) {
      return WithdrawalDocument.of(withdrawal.withdrawal());
    }
    if (event instanceof HoldEvent hold) {
      return HoldDocument.of(hold.hold());
    }
    return DepositDocument.of(((DepositCompleted) event).deposit());
  }
}
