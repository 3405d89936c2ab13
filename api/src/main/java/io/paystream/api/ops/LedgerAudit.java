package io.paystream.api.ops;

import io.paystream.persistence.hold.HoldStore;
import io.paystream.persistence.hold.HoldStore.CurrencyHeld;
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
  private final HoldStore holds;

  public LedgerAudit(LedgerStore ledger, HoldStore holds) {
    this.ledger = ledger;
    this.holds = holds;
  }

  /**
   * The check's answer.
   *
   * @param heldByCurrency what holds reserve of customer balances, per currency (part of those
   *     balances, not money on its own: it moves no entry)
   * @param unreconciledHolds customer accounts whose held amount is not the sum of their HELD
   *     holds; null for a check as of an instant, which reads the holds of then only
   * @param at the instant the check was made as of, or null for the ledger as it stands
   */
  public record LedgerCheck(
      boolean balanced,
      List<CurrencySum> byCurrency,
      long unreconciledAccounts,
      List<CurrencyHeld> heldByCurrency,
      Long unreconciledHolds,
      Instant at) {}

  /** Reads only; safe to retry, and to run on every instance at once. */
  public Mono<LedgerCheck> check() {
    return verdict(
            ledger.sumsByCurrency(),
            ledger.countUnreconciledAccounts(),
            holds.heldByCurrency(),
            null)
        .zipWith(holds.countUnreconciledHolds())
        .map(
            t ->
                new LedgerCheck(
                    t.getT1().balanced() && t.getT2() == 0,
                    t.getT1().byCurrency(),
                    t.getT1().unreconciledAccounts(),
                    t.getT1().heldByCurrency(),
                    t.getT2(),
                    null));
  }

  /**
   * The check over the entries stamped at or before {@code at}: each currency sums to zero (a
   * journal's entries share one stamp), and each customer account's running balance as of {@code
   * at} equals the sum of its entries up to then.
   */
  public Mono<LedgerCheck> checkAt(Instant at) {
    return verdict(
        ledger.sumsByCurrencyAt(at),
        ledger.countUnreconciledAccountsAt(at),
        holds.heldByCurrencyAt(at),
        at);
  }

  private static Mono<LedgerCheck> verdict(
      Flux<CurrencySum> sums, Mono<Long> unreconciled, Flux<CurrencyHeld> held, Instant at) {
    return Mono.zip(sums.collectList(), unreconciled, held.collectList())
        .map(
            t ->
                new LedgerCheck(
                    t.getT1().stream().allMatch(sum -> sum.sum() == 0) && t.getT2() == 0,
                    t.getT1(),
                    t.getT2(),
                    t.getT3(),
                    null,
                    at));
  }
}
