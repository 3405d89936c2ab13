package io.paystream.persistence.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.ledger.LedgerStore.CurrencySum;
import java.time.Duration;
import java.util.List;

/**
 * The one check of double entry that every test checking the ledger makes: every currency's entries
 * sum to zero (system accounts included), and every customer balance equals the sum of its own
 * entries. Tests in persistence and messaging read the two sums from {@link LedgerStore}; API tests
 * read them from the operators' ledger check, which answers the same two queries, and judge them
 * here by the same rule.
 */
public final class LedgerAssertions {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private LedgerAssertions() {}

  /** Reads both sums from the ledger and asserts them balanced. Blocking: the test thread only. */
  public static void assertBalanced(LedgerStore ledger) {
    assertBalanced(
        ledger.sumsByCurrency().collectList().block(READ_TIMEOUT),
        ledger.countUnreconciledAccounts().block(READ_TIMEOUT));
  }

  /**
   * @param sums the signed sum of every entry per currency ({@link LedgerStore#sumsByCurrency})
   * @param unreconciledAccounts customer accounts whose balance differs from the sum of their
   *     entries ({@link LedgerStore#countUnreconciledAccounts})
   */
  public static void assertBalanced(List<CurrencySum> sums, long unreconciledAccounts) {
    assertThat(sums)
        .as("entries summed per currency, system accounts included")
        .allSatisfy(sum -> assertThat(sum.sum()).as("sum of %s", sum.currency()).isZero());
    assertThat(unreconciledAccounts)
        .as("customer accounts whose balance is not the sum of their entries")
        .isZero();
  }
}
