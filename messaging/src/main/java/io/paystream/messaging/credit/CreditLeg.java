package io.paystream.messaging.credit;

import io.paystream.domain.MoneyEvent;
import io.paystream.domain.MoneyEvent.TransferEvent;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.kafka.PoisonMessageException;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.outbox.UndecodableEventException;
import io.paystream.persistence.transfer.TransferSettlement;
import io.paystream.persistence.transfer.TransferSettlement.Settled;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies {@code transfer.pending} events, one or a batch at a time: in ONE transaction, record
 * every event in the inbox (a redelivery stops there, each message on its own) and settle the
 * transfers of the new ones (credit the payee, or refund the payer). Safe to call any number of
 * times with the same messages.
 *
 * <p>It reads every message of the events topic, so it is the one consumer that dead-letters a
 * message no consumer can decode ({@link EventEnvelope}, the same for all); the others skip such a
 * message and count it, and operators find it once, in the dead letters.
 */
@Component
public class CreditLeg {

  /** The inbox name of this consumer. */
  public static final String CONSUMER = "credit-leg";

  private final InboxStore inbox;
  private final TransferSettlement settlement;
  private final TransactionalOperator transaction;
  private final EventEnvelope envelope;
  private final Clock clock;

  public CreditLeg(
      InboxStore inbox,
      TransferSettlement settlement,
      TransactionalOperator transaction,
      EventEnvelope envelope,
      Clock clock) {
    this.inbox = inbox;
    this.settlement = settlement;
    this.transaction = transaction;
    this.envelope = envelope;
    this.clock = clock;
  }

  /** What happened to one message. */
  public enum Outcome {
    COMPLETED,
    REFUNDED,
    DUPLICATE,
    ALREADY_SETTLED,
    UNKNOWN_TRANSFER,
    IGNORED
  }

  /**
   * A decoded message: a pending transfer to settle, or an event this consumer does not handle
   * ({@code transferId} null).
   */
  public record Delivery(UUID eventId, UUID transferId) {

    boolean handled() {
      return transferId != null;
    }
  }

  /**
   * Applies one message: a batch of one. Fails with {@link PoisonMessageException} when the payload
   * cannot be understood (never retried), or with the database's error when it is unavailable
   * (retried).
   */
  public Mono<Outcome> apply(String payload) {
    return Mono.fromCallable(() -> decode(payload))
        .flatMap(delivery -> applyAll(List.of(delivery)))
        .map(outcomes -> outcomes.get(0));
  }

  /**
   * Reads a message. Throws {@link PoisonMessageException} when no retry could ever make it
   * applicable: it is not a money event this version can read.
   */
  public Delivery decode(String payload) {
    MoneyEvent event;
    try {
      event = envelope.read(payload).event();
    } catch (UndecodableEventException e) {
      throw new PoisonMessageException(e.getMessage(), e);
    }
    boolean pending =
        event instanceof TransferEvent transfer
            && transfer.transfer().status() == TransferStatus.PENDING;
    return new Delivery(event.eventId(), pending ? event.resourceId() : null);
  }

  /**
   * Applies decoded messages in one transaction: one outcome per delivery, in order. The same event
   * twice (in this batch or an earlier one) is a {@code DUPLICATE} after its first time. Fails with
   * the database's error, and then nothing of the batch was applied: retrying the whole batch, or
   * its messages one by one, is safe.
   */
  public Mono<List<Outcome>> applyAll(List<Delivery> deliveries) {
    List<UUID> eventIds =
        deliveries.stream().filter(Delivery::handled).map(Delivery::eventId).toList();
    if (eventIds.isEmpty()) {
      return Mono.just(deliveries.stream().map(delivery -> Outcome.IGNORED).toList());
    }
    Mono<List<Outcome>> flow =
        inbox
            .firstDeliveries(CONSUMER, eventIds, Timestamps.now(clock))
            .flatMap(
                fresh -> {
                  Set<UUID> unclaimed = new HashSet<>(fresh);
                  List<UUID> toSettle = new ArrayList<>();
                  List<Boolean> settles = new ArrayList<>();
                  for (Delivery delivery : deliveries) {
                    // The first occurrence of a fresh event claims it; a later one is its
                    // duplicate.
                    boolean first = delivery.handled() && unclaimed.remove(delivery.eventId());
                    settles.add(first);
                    if (first) {
                      toSettle.add(delivery.transferId());
                    }
                  }
                  return settlement
                      .settle(toSettle)
                      .map(
                          settled -> {
                            List<Outcome> outcomes = new ArrayList<>(deliveries.size());
                            for (int i = 0, s = 0; i < deliveries.size(); i++) {
                              outcomes.add(
                                  !deliveries.get(i).handled()
                                      ? Outcome.IGNORED
                                      : settles.get(i)
                                          ? outcome(settled.get(s++))
                                          : Outcome.DUPLICATE);
                            }
                            return List.copyOf(outcomes);
                          });
                });
    return transaction.transactional(flow);
  }

  private static Outcome outcome(Settled settlement) {
    return switch (settlement) {
      case COMPLETED -> Outcome.COMPLETED;
      case REFUNDED -> Outcome.REFUNDED;
      case ALREADY_SETTLED -> Outcome.ALREADY_SETTLED;
      case UNKNOWN_TRANSFER -> Outcome.UNKNOWN_TRANSFER;
    };
  }
}
