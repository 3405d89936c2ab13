package io.paystream.messaging.credit;

import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.transfer.TransferStore.Settlement;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one {@code transfer.pending} event: in one transaction, record the event in the inbox
 * (a redelivery stops there) and settle the transfer (credit the payee, or refund the payer).
 * Safe to call any number of times with the same message.
 */
@Component
public class CreditLeg {

  /** The inbox name of this consumer. */
  public static final String CONSUMER = "credit-leg";

  static final String HANDLED_TYPE = "transfer.pending";

  private final InboxStore inbox;
  private final TransferStore transfers;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  public CreditLeg(InboxStore inbox, TransferStore transfers, TransactionalOperator transaction,
      JsonMapper json, Clock clock) {
    this.inbox = inbox;
    this.transfers = transfers;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  /** What happened to one message. */
  public enum Outcome { COMPLETED, REFUNDED, DUPLICATE, ALREADY_SETTLED, UNKNOWN_TRANSFER, IGNORED }

  /**
   * Applies the message. Fails with {@link PoisonMessageException} when the payload cannot be
   * understood (never retried), or with the database's error when it is unavailable (retried).
   */
  public Mono<Outcome> apply(String payload) {
    return Mono.fromCallable(() -> decode(payload))
        .flatMap(event -> !HANDLED_TYPE.equals(event.type())
            ? Mono.just(Outcome.IGNORED)
            : settleOnce(event));
  }

  private Mono<Outcome> settleOnce(OutboxEvent event) {
    UUID transferId = transferId(event);
    Mono<Outcome> flow = inbox.firstDelivery(CONSUMER, event.eventId(), Timestamps.now(clock))
        .flatMap(first -> first
            ? transfers.settle(transferId).map(CreditLeg::outcome)
            : Mono.just(Outcome.DUPLICATE));
    return transaction.transactional(flow);
  }

  private OutboxEvent decode(String payload) {
    try {
      return json.readValue(payload, OutboxEvent.class);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new PoisonMessageException("undecodable event: " + e.getMessage(), e);
    }
  }

  private UUID transferId(OutboxEvent event) {
    try {
      JsonNode data = json.readTree(event.data());
      return Ids.parse(data.get("id").asString());
    } catch (RuntimeException e) {
      throw new PoisonMessageException("event " + event.eventId() + " names no transfer", e);
    }
  }

  private static Outcome outcome(Settlement settlement) {
    return switch (settlement) {
      case COMPLETED -> Outcome.COMPLETED;
      case REFUNDED -> Outcome.REFUNDED;
      case ALREADY_SETTLED -> Outcome.ALREADY_SETTLED;
      case UNKNOWN_TRANSFER -> Outcome.UNKNOWN_TRANSFER;
    };
  }
}
