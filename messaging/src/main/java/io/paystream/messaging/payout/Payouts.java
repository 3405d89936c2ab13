package io.paystream.messaging.payout;

import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import io.paystream.persistence.withdrawal.WithdrawalStore.Settlement;
import io.paystream.persistence.withdrawal.WithdrawalStore.Started;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * One attempt to bring a PROCESSING withdrawal to its end through the provider.
 *
 * <p>No withdrawal is paid twice: the provider executes an id at most once, and when an earlier
 * attempt may have reached it (the process died between the provider's answer and our commit, a
 * call timed out, a sweep resumes it), the attempt first asks the provider for the payout by id and
 * only orders it when the provider has never heard of it. Only a definitive refusal fails a
 * withdrawal; a provider that does not answer leaves it PROCESSING for the recovery sweep, because
 * returning the money for a payout that did happen would create money.
 */
public class Payouts {

  private static final Logger log = LoggerFactory.getLogger(Payouts.class);

  /** How one attempt ended. */
  public enum Outcome {
    COMPLETED,
    FAILED,
    ALREADY_SETTLED,
    DEFERRED
  }

  private final WithdrawalStore withdrawals;
  private final PayoutGateway gateway;
  private final SecretSealer sealer;
  private final TransactionalOperator transaction;

  public Payouts(
      WithdrawalStore withdrawals,
      PayoutGateway gateway,
      SecretSealer sealer,
      TransactionalOperator transaction) {
    this.withdrawals = withdrawals;
    this.gateway = gateway;
    this.sealer = sealer;
    this.transaction = transaction;
  }

  /** Never fails: every error is logged and the withdrawal left for the recovery sweep. */
  public Mono<Outcome> attempt(Started started) {
    UUID id = started.withdrawal().id();
    Mono<ProviderAnswer> answer =
        started.providerMayKnowIt()
            ? gateway
                .find(id)
                .flatMap(known -> known.map(Mono::just).orElseGet(() -> order(started)))
            : order(started);
    return answer
        .flatMap(result -> settle(id, result))
        .onErrorResume(
            error -> {
              if (PayoutGateway.leavesPayoutUnknown(error)) {
                log.warn(
                    "payout of withdrawal {} deferred, the provider gave no answer: {}",
                    id,
                    error.toString());
              } else {
                log.error("payout of withdrawal {} deferred after an error", id, error);
              }
              return Mono.just(Outcome.DEFERRED);
            });
  }

  private Mono<ProviderAnswer> order(Started started) {
    UUID id = started.withdrawal().id();
    return withdrawals
        .destinationCiphertext(id)
        .map(
            ciphertext ->
                new PayoutOrder(
                    id,
                    started.withdrawal().amount().minorUnits(),
                    started.withdrawal().amount().currencyCode(),
                    // Not re-sealed when the legacy key opened it: a destination is read only
                    // while its withdrawal is in flight, so the old ones drain by themselves.
                    sealer.open(Purpose.PAYOUT_DESTINATION, id, ciphertext).secret()))
        .flatMap(gateway::pay);
  }

  private Mono<Outcome> settle(UUID id, ProviderAnswer answer) {
    Mono<Settlement> settled;
    if (answer instanceof ProviderAnswer.Paid paid) {
      settled = transaction.transactional(withdrawals.complete(id, paid.reference()));
    } else if (answer instanceof ProviderAnswer.Refused refused) {
      settled = transaction.transactional(withdrawals.fail(id, refused.reason()));
    } else {
      return Mono.error(new IllegalStateException("unknown provider answer " + answer));
    }
    return settled.map(
        settlement ->
            switch (settlement) {
              case COMPLETED -> Outcome.COMPLETED;
              case FAILED -> Outcome.FAILED;
              case ALREADY_SETTLED, UNKNOWN_WITHDRAWAL -> Outcome.ALREADY_SETTLED;
            });
  }
}
