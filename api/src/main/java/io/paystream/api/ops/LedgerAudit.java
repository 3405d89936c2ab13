package io.paystream.api.ops;

import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.CurrencySum;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The ledger check, one query pair shared by the ops endpoint and the scheduled probe that
 * publishes its result as a metric: double-entry holds when every currency's entries sum to zero
 * (system accounts included) and every customer balance equals the sum of its own entries.
 *
 * <p>Both statements read every entry, so the cost grows with the ledger; the probe's interval
 * (paystream.observability.ledger-check-interval-seconds) bounds how often an instance pays it.
 */
@Component
public class LedgerAudit {

  private final LedgerStore ledger;

  public LedgerAudit(LedgerStore ledger) {
    this.ledger = ledger;
  }

  public record LedgerCheck(
      boolean balanced, List<CurrencySum> byCurrency, long unreconciledAccounts) {}

  /** Reads only; safe to retry, and to run on every instance at once. */
  public Mono<LedgerCheck> check() {
    return ledger
        .sumsByCurrency()
        .collectList()
        .zipWith(ledger.countUnreconciledAccounts())
        .map(
            t ->
                new LedgerCheck(
                    t.getT1().stream().allMatch(sum -> sum.sum() == 0) && t.getT2() == 0,
                    t.getT1(),
                    t.getT2()));
  }
}
