package io.paystream.messaging.payout;

import io.paystream.domain.Ids;
import io.paystream.messaging.credit.PoisonMessageException;
import io.paystream.messaging.payout.Payouts.Outcome;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.outbox.OutboxEvent;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one {@code withdrawal.pending} event: in one transaction, record it in the inbox and move
 * the withdrawal to PROCESSING; after that commit, one provider attempt ({@link Payouts}). A
 * redelivery stops at the inbox; a withdrawal whose attempt was cut short (crash, open breaker) is
 * finished by {@link PayoutRecovery}, which asks the provider first.
 */
public class PayoutLeg {

  /** The inbox name of this consumer. */
  public static final String CONSUMER = "payout-leg";

  /** Outcome for a message this leg does not handle, or has handled before. */
  public enum Skip {
    IGNORED,
    DUPLICATE
  }

  private final InboxStore inbox;
  private final WithdrawalStore withdrawals;
  private final Payouts payouts;
  private final TransactionalOperator transaction;
  private final JsonMapper json;
  private final Clock clock;

  public PayoutLeg(
      InboxStore inbox,
      WithdrawalStore withdrawals,
      Payouts payouts,
      TransactionalOperator transaction,
      JsonMapper json,
      Clock clock) {
    this.inbox = inbox;
    this.withdrawals = withdrawals;
    this.payouts = payouts;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Applies the message; the result names the attempt's outcome or why nothing was done. Fails with
   * {@link PoisonMessageException} for an undecodable payload (never retried), or with the
   * database's error when the inbox transaction cannot commit (retried).
   */
  public Mono<String> apply(String payload) {
    return Mono.fromCallable(() -> decode(payload))
        // The credit leg dead-letters undecodable messages already; parking them twice would
        // only double the operators' work. A withdrawal event that names no withdrawal is ours.
        .onErrorResume(PoisonMessageException.class, undecodable -> Mono.empty())
        .flatMap(
            event ->
                !WithdrawalStore.PENDING_EVENT.equals(event.type())
                    ? Mono.just(Skip.IGNORED.name())
                    : startOnce(event)
                        .flatMap(
                            started ->
                                started.isEmpty()
                                    ? Mono.just(Skip.DUPLICATE.name())
                                    : payouts.attempt(started.get()).map(Outcome::name)))
        .defaultIfEmpty(Skip.IGNORED.name());
  }

  private Mono<Optional<WithdrawalStore.Started>> startOnce(OutboxEvent event) {
    UUID withdrawalId = withdrawalId(event);
    Mono<Optional<WithdrawalStore.Started>> flow =
        inbox
            .firstDelivery(CONSUMER, event.eventId(), Timestamps.now(clock))
            .flatMap(
                first ->
                    first
                        ? withdrawals
                            .startProcessing(withdrawalId)
                            .map(Optional::of)
                            .defaultIfEmpty(Optional.empty())
                        : Mono.just(Optional.<WithdrawalStore.Started>empty()));
    return transaction.transactional(flow);
  }

  private OutboxEvent decode(String payload) {
    try {
      return json.readValue(payload, OutboxEvent.class);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new PoisonMessageException("undecodable event: " + e.getMessage(), e);
    }
  }

  private UUID withdrawalId(OutboxEvent event) {
    try {
      return Ids.parse(json.readTree(event.data()).get("id").asString());
    } catch (RuntimeException e) {
      throw new PoisonMessageException("event " + event.eventId() + " names no withdrawal", e);
    }
  }
}
