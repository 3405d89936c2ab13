package io.paystream.api.ops;

import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.CurrencySum;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ledger check, one query pair shared by the ops endpoint and the scheduled probe that
 * publishes its result as a metric: double-entry holds when every currency's entries sum to zero
 * (system accounts included) and every customer balance equals the sum of its own entries.
 *
 * <p>Both statements read every entry (up to the instant, for {@link #checkAt}), so the cost grows
 * with the ledger; the probe's interval (paystream.observability.ledger-check-interval-seconds)
 * bounds how often an instance pays it.
 */
@Component
public class LedgerAudit {

  private final LedgerStore ledger;

  public LedgerAudit(LedgerStore ledger) {
    this.ledger = ledger;
  }

  /**
   * The check's answer.
   *
   * @param at the instant the check was made as of, or null for the ledger as it stands
   */
  public record LedgerCheck(
      boolean balanced, List<CurrencySum> byCurrency, long unreconciledAccounts, Instant at) {}

  /** Reads only; safe to retry, and to run on every instance at once. */
  public Mono<LedgerCheck> check() {
    return verdict(ledger.sumsByCurrency(), ledger.countUnreconciledAccounts(), null);
  }

  /**
   * The check over the entries stamped at or before {@code at}: each currency sums to zero (a
   * journal's entries share one stamp), and each customer account's running balance as of {@code
   * at} equals the sum of its entries up to then.
   */
  public Mono<LedgerCheck> checkAt(Instant at) {
    return verdict(ledger.sumsByCurrencyAt(at), ledger.countUnreconciledAccountsAt(at), at);
  }

  private static Mono<LedgerCheck> verdict(
      Flux<CurrencySum> sums, Mono<Long> unreconciled, Instant at) {
    return sums.collectList()
        .zipWith(unreconciled)
        .map(
            t ->
                new LedgerCheck(
                    t.getT1().stream().allMatch(sum -> sum.sum() == 0) && t.getT2() == 0,
                    t.getT1(),
                    t.getT2(),
                    at));
  }
}
