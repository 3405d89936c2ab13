package io.paystream.domain;

import static io.paystream.domain.AccountTest.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.domain.CreditBatch.Credit;
import io.paystream.domain.CreditBatch.Decided;
import io.paystream.domain.CreditBatch.Refund;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The payee's side: credit it if it can take the money, otherwise refund the payer. */
class CreditBatchTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void creditsToOnePayeeRunItsBalanceUpInOrder() {
    Account payee = account(AccountStatus.ACTIVE, EUR, 5);

    List<Decided> decided =
        CreditBatch.decide(
            List.of(pending(payee, 10, EUR), pending(payee, 20, EUR)), Map.of(payee.id(), payee));

    assertThat(decided).extracting(d -> ((Credit) d).payeeBalanceAfter()).containsExactly(15L, 35L);
  }

  @ParameterizedTest(name = "{0} payee in {1}: {2}")
  @CsvSource({
    "FROZEN, EUR, recipient account is frozen",
    "CLOSED, EUR, recipient account is closed",
    "ACTIVE, USD, recipient account cannot take EUR"
  })
  void aPayeeThatCannotTakeTheMoneyRefundsThePayerWithAReasonNamingItsState(
      AccountStatus status, String currency, String reason) {
    Account payee = account(status, Currency.getInstance(currency), 0);

    Decided decided =
        CreditBatch.decide(List.of(pending(payee, 10, EUR)), Map.of(payee.id(), payee)).get(0);

    assertThat(((Refund) decided).reason()).isEqualTo(reason);
  }

  @Test
  void aMissingPayeeRefunds() {
    Account gone = account(AccountStatus.ACTIVE, EUR, 0);

    Decided decided = CreditBatch.decide(List.of(pending(gone, 10, EUR)), Map.of()).get(0);

    assertThat(((Refund) decided).reason()).isEqualTo("recipient account not found");
  }

  @Test
  void aCreditThatWouldTakeThePayeeOverTheMaximumBalanceRefundsAndLaterOnesStillFit() {
    Account payee = account(AccountStatus.ACTIVE, EUR, Account.BALANCE_MAX - 10);

    List<Decided> decided =
        CreditBatch.decide(
            List.of(pending(payee, 11, EUR), pending(payee, 10, EUR)), Map.of(payee.id(), payee));

    assertThat(((Refund) decided.get(0)).reason()).isEqualTo("recipient account cannot hold more");
    assertThat(((Credit) decided.get(1)).payeeBalanceAfter()).isEqualTo(Account.BALANCE_MAX);
  }

  @Test
  void onlyPendingTransfersAreDecided() {
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);
    Transfer done = pending(payee, 10, EUR).complete(NOW);

    assertThatThrownBy(() -> CreditBatch.decide(List.of(done), Map.of(payee.id(), payee)))
        .isInstanceOf(IllegalStateException.class);
  }

  private static Transfer pending(Account payee, long amount, Currency currency) {
    return Transfer.accept(
        Ids.newId(), payee.id(), Money.of(amount, currency), null, Metadata.NONE, null, NOW);
  }
}
