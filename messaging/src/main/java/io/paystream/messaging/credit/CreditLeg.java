package io.paystream.messaging.credit;

import io.paystream.domain.MoneyEvent;
import io.paystream.domain.MoneyEvent.TransferEvent;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.events.NewEvents;
import io.paystream.messaging.kafka.PoisonMessageException;
import io.paystream.messaging.webhook.WebhookQueue;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.events.EventLogStore;
import io.paystream.persistence.events.NewEvent;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.EventEnvelope.Received;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.outbox.UndecodableEventException;
import io.paystream.persistence.transfer.TransferSettlement;
import io.paystream.persistence.transfer.TransferSettlement.Settled;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The one pass every event of the events topic takes, one message or a batch at a time, in ONE
 * transaction: record the {@code transfer.pending} events in the inbox (a redelivery stops there,
 * each message on its own), settle their transfers (credit the payee, or refund the payer), queue
 * the webhook deliveries of every public event, the batch's and the terminal events the settlement
 * made, and append all of them to the event log, which gives each its stream position. Safe to call
 * any number of times with the same messages: the inbox, the event log and the webhook queue each
 * ignore what they already hold.
 *
 * <p>Why one pass: before, four consumer groups read every event (credit, sequencer, webhooks,
 * recent entries), each with its own poll, decode and transaction, and a completed transfer went
 * round the outbox and Kafka a second time for its terminal event. Now the terminal event is
 * written straight into the event log by the transaction that settled the transfer, and the event
 * log's advisory lock, taken by the last statement, still orders positions by commit. What that
 * cost: a terminal event no longer travels on the events topic, so a consumer outside this pass
 * (none today) cannot see it there; and a pending transfer's event is sequenced only once it is
 * settled (or, for a message parked in the dead letters, once it is replayed).
 *
 * <p>It reads every message of the events topic, so it is the one consumer that dead-letters a
 * message no consumer can decode ({@link EventEnvelope}, the same for all); the payout leg skips
 * such a message and counts it, and operators find it once, in the dead letters.
 */
@Component
public class CreditLeg {

  /** The inbox name of this consumer. */
  public static final String CONSUMER = "credit-leg";

  private final InboxStore inbox;
  private final TransferSettlement settlement;
  private final EventLogStore eventLog;
  private final WebhookQueue webhooks;
  private final TransactionalOperator transaction;
  private final EventEnvelope envelope;
  private final Clock clock;

  public CreditLeg(
      InboxStore inbox,
      TransferSettlement settlement,
      EventLogStore eventLog,
      WebhookQueue webhooks,
      TransactionalOperator transaction,
      EventEnvelope envelope,
      Clock clock) {
    this.inbox = inbox;
    this.settlement = settlement;
    this.eventLog = eventLog;
    this.webhooks = webhooks;
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
   * A decoded message: its event as it travelled, the pending transfer to settle ({@code
   * transferId}, null for any other event), and the trace its stream position continues ({@code
   * traceParent}, null for none).
   */
  public record Delivery(Received received, UUID transferId, String traceParent) {

    public UUID eventId() {
      return received.event().eventId();
    }

    /** The movement (transfer, deposit, withdrawal) whose entries the event is about. */
    public UUID movementId() {
      return received.event().resourceId();
    }

    boolean handled() {
      return transferId != null;
    }

    /** This delivery, continuing the trace {@code traceParent} names. */
    public Delivery tracedBy(String traceParent) {
      return new Delivery(received, transferId, traceParent);
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
    Received received;
    try {
      received = envelope.read(payload);
    } catch (UndecodableEventException e) {
      throw new PoisonMessageException(e.getMessage(), e);
    }
    MoneyEvent event = received.event();
    boolean pending =
        event instanceof TransferEvent transfer
            && transfer.transfer().status() == TransferStatus.PENDING;
    return new Delivery(received, pending ? event.resourceId() : null, null);
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
    Mono<Set<UUID>> claimed =
        eventIds.isEmpty()
            ? Mono.just(Set.of())
            : inbox.firstDeliveries(CONSUMER, eventIds, Timestamps.now(clock));
    Mono<List<Outcome>> flow =
        claimed.flatMap(
            fresh -> {
              Set<UUID> unclaimed = new HashSet<>(fresh);
              List<UUID> toSettle = new ArrayList<>();
              List<Boolean> settles = new ArrayList<>();
              for (Delivery delivery : deliveries) {
                // The first occurrence of a fresh event claims it; a later one is its duplicate.
                boolean first = delivery.handled() && unclaimed.remove(delivery.eventId());
                settles.add(first);
                if (first) {
                  toSettle.add(delivery.transferId());
                }
              }
              return settlement
                  .settle(toSettle)
                  .flatMap(
                      settled -> {
                        List<NewEvent> events = events(deliveries, settled.events());
                        Instant now = Timestamps.now(clock);
                        // The queue first: the event log's lock is then held for one statement.
                        return webhooks
                            .enqueue(events)
                            .then(eventLog.append(events, now))
                            .thenReturn(outcomes(deliveries, settles, settled.outcomes()));
                      });
            });
    return transaction.transactional(flow);
  }

  /**
   * The public events to sequence, in order: the batch's, then the terminal events its settlement
   * made, each continuing its transfer's trace. A transfer's pending event thus always comes before
   * its terminal one (a redelivered pending event is already in the log and keeps its place).
   */
  private List<NewEvent> events(List<Delivery> deliveries, List<MoneyEvent> terminal) {
    List<NewEvent> events = new ArrayList<>(deliveries.size() + terminal.size());
    Map<UUID, String> traces = new HashMap<>();
    for (Delivery delivery : deliveries) {
      if (delivery.handled() && delivery.traceParent() != null) {
        traces.put(delivery.transferId(), delivery.traceParent());
      }
      MoneyEvent event = delivery.received().event();
      if (MoneyEvent.isPublic(event.type())) {
        events.add(NewEvents.of(event, delivery.received().data(), delivery.traceParent()));
      }
    }
    for (MoneyEvent event : terminal) {
      events.add(NewEvents.of(event, envelope.write(event).data(), traces.get(event.resourceId())));
    }
    return events;
  }

  private static List<Outcome> outcomes(
      List<Delivery> deliveries, List<Boolean> settles, List<Settled> settled) {
    List<Outcome> outcomes = new ArrayList<>(deliveries.size());
    for (int i = 0, s = 0; i < deliveries.size(); i++) {
      outcomes.add(
          !deliveries.get(i).handled()
              ? Outcome.IGNORED
              : settles.get(i) ? outcome(settled.get(s++)) : Outcome.DUPLICATE);
    }
    return List.copyOf(outcomes);
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
