package io.paystream.messaging.payout;

import io.paystream.domain.MoneyEvent;
import io.paystream.domain.MoneyEvent.WithdrawalEvent;
import io.paystream.messaging.kafka.UndecodableEvents;
import io.paystream.messaging.payout.Payouts.Outcome;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.outbox.UndecodableEventException;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.time.Clock;
import java.util.Optional;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies one {@code withdrawal.pending} event: in one transaction, record it in the inbox and move
 * the withdrawal to PROCESSING; after that commit, one provider attempt ({@link Payouts}). A
 * redelivery stops at the inbox; a withdrawal whose attempt was cut short (crash, open breaker) is
 * finished by {@link PayoutRecovery}, which asks the provider first.
 */
public class PayoutLeg {

  /** The inbox name of this consumer. */
  public static final String CONSUMER = "payout-leg";

  /** The type of the one event this leg acts on (a withdrawal's {@code PENDING} state). */
  public static final String STARTS_PAYOUT = "withdrawal.pending";

  /** Outcome for a message this leg does not handle, or has handled before. */
  public enum Skip {
    IGNORED,
    DUPLICATE
  }

  private final InboxStore inbox;
  private final WithdrawalStore withdrawals;
  private final Payouts payouts;
  private final TransactionalOperator transaction;
  private final EventEnvelope envelope;
  private final UndecodableEvents undecodable;
  private final Clock clock;

  public PayoutLeg(
      InboxStore inbox,
      WithdrawalStore withdrawals,
      Payouts payouts,
      TransactionalOperator transaction,
      EventEnvelope envelope,
      UndecodableEvents undecodable,
      Clock clock) {
    this.inbox = inbox;
    this.withdrawals = withdrawals;
    this.payouts = payouts;
    this.transaction = transaction;
    this.envelope = envelope;
    this.undecodable = undecodable;
    this.clock = clock;
  }

  /**
   * Applies the message; the result names the attempt's outcome or why nothing was done. Fails with
   * the database's error when the inbox transaction cannot commit (retried). A message that is not
   * a money event is skipped and counted: the credit leg dead-letters it.
   */
  public Mono<String> apply(String payload) {
    return Mono.fromCallable(() -> envelope.read(payload).event())
        .onErrorResume(
            UndecodableEventException.class,
            e -> {
              undecodable.skipped(CONSUMER, e);
              return Mono.empty();
            })
        .flatMap(
            event ->
                !(event instanceof WithdrawalEvent withdrawal && withdrawal.startsPayout())
                    ? Mono.just(Skip.IGNORED.name())
                    : startOnce(event)
                        .flatMap(
                            started ->
                                started.isEmpty()
                                    ? Mono.just(Skip.DUPLICATE.name())
                                    : payouts.attempt(started.get()).map(Outcome::name)))
        .defaultIfEmpty(Skip.IGNORED.name());
  }

  private Mono<Optional<WithdrawalStore.Started>> startOnce(MoneyEvent event) {
    Mono<Optional<WithdrawalStore.Started>> flow =
        inbox
            .firstDelivery(CONSUMER, event.eventId(), Timestamps.now(clock))
            .flatMap(
                first ->
                    first
                        ? withdrawals
                            .startProcessing(event.resourceId())
                            .map(Optional::of)
                            .defaultIfEmpty(Optional.empty())
                        : Mono.just(Optional.<WithdrawalStore.Started>empty()));
    return transaction.transactional(flow);
  }
}
