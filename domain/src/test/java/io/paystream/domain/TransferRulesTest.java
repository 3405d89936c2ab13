package io.paystream.domain;

import static io.paystream.domain.AccountTest.account;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The order of {@link TransferRules#decide}: SAME_ACCOUNT, CURRENCY_MISMATCH, ACCOUNT_NOT_ACTIVE,
 * LIMIT_EXCEEDED (per transfer), INSUFFICIENT_FUNDS, LIMIT_EXCEEDED (daily, then velocity). Each
 * test makes every later rule fail too, so that a check moved later in the order shows up as the
 * wrong answer.
 */
class TransferRulesTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");

  /** 500.00 EUR per transfer, 1000.00 EUR per day. */
  private static final TransferLimits LIMITS =
      new TransferLimits(Map.of(EUR, 50_000L), Map.of(EUR, 100_000L));

  @Test
  void transferThatBreaksNoRuleIsAllowed() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 50_000);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(check(payer, payee, Money.of(50_000, EUR), LIMITS)).isEmpty();
    assertThat(check(payer, payee, Money.of(1, EUR), TransferLimits.none())).isEmpty();
  }

  @Test
  void sameAccountComesFirst() {
    Account payer = account(AccountStatus.FROZEN, EUR, 0);
    Account sameAgain =
        new Account(
            payer.id(),
            payer.ownerId(),
            payer.currency(),
            payer.balance(),
            payer.held(),
            payer.status(),
            payer.createdAt());

    assertThat(check(payer, payer, Money.of(60_000, USD), LIMITS)).contains(Rejection.SAME_ACCOUNT);
    assertThat(check(payer, sameAgain, Money.of(60_000, EUR), LIMITS))
        .contains(Rejection.SAME_ACCOUNT);
  }

  @Test
  void currencyMismatchComesBeforeStatusLimitAndFunds() {
    Account frozenEur = account(AccountStatus.FROZEN, EUR, 0);
    Account frozenUsd = account(AccountStatus.FROZEN, USD, 0);
    Money tooMuchEur = Money.of(60_000, EUR);

    assertThat(check(frozenEur, frozenUsd, tooMuchEur, LIMITS))
        .as("payee in another currency")
        .contains(Rejection.CURRENCY_MISMATCH);
    assertThat(check(frozenUsd, frozenEur, tooMuchEur, LIMITS))
        .as("payer in another currency")
        .contains(Rejection.CURRENCY_MISMATCH);
    assertThat(
            check(frozenEur, account(AccountStatus.FROZEN, EUR, 0), Money.of(60_000, USD), LIMITS))
        .as("amount in another currency than both")
        .contains(Rejection.CURRENCY_MISMATCH);
  }

  @ParameterizedTest
  @EnumSource(
      value = AccountStatus.class,
      names = {"FROZEN", "CLOSED"})
  void accountNotActiveComesBeforeLimitAndFunds(AccountStatus notActive) {
    Money tooMuch = Money.of(60_000, EUR);

    assertThat(
            check(
                account(notActive, EUR, 0), account(AccountStatus.ACTIVE, EUR, 0), tooMuch, LIMITS))
        .as("payer %s", notActive)
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(
            check(
                account(AccountStatus.ACTIVE, EUR, 0), account(notActive, EUR, 0), tooMuch, LIMITS))
        .as("payee %s", notActive)
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
  }

  @Test
  void perTransferLimitComesBeforeFunds() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 0);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(check(payer, payee, Money.of(50_001, EUR), LIMITS))
        .contains(Rejection.LIMIT_EXCEEDED);
  }

  @Test
  void insufficientFundsComesLast() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 49_999);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(check(payer, payee, Money.of(50_000, EUR), LIMITS))
        .contains(Rejection.INSUFFICIENT_FUNDS);
  }

  @Test
  void perTransferLimitOfAnotherCurrencyDoesNotApply() {
    Account payer = account(AccountStatus.ACTIVE, USD, Money.AMOUNT_MAX);
    Account payee = account(AccountStatus.ACTIVE, USD, 0);

    assertThat(check(payer, payee, Money.of(Money.AMOUNT_MAX, USD), LIMITS)).isEmpty();
  }

  @Test
  void theDailyLimitComesAfterTheFundsAndCountsWhatWasSentToday() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 50_000);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    Refusal daily =
        TransferRules.decide(
                payer, payee, Money.of(1, EUR), LIMITS, new OutgoingHistory(100_000, 0))
            .refusal();
    Decision<Account> underIt =
        TransferRules.decide(
            payer, payee, Money.of(1, EUR), LIMITS, new OutgoingHistory(99_999, 0));

    assertThat(daily.limit()).isEqualTo("daily_outgoing_max");
    assertThat(underIt.value().balance()).isEqualTo(49_999);
    assertThat(
            check(
                account(AccountStatus.ACTIVE, EUR, 0),
                payee,
                Money.of(1, EUR),
                LIMITS,
                new OutgoingHistory(100_000, 0)))
        .as("insufficient funds first")
        .contains(Rejection.INSUFFICIENT_FUNDS);
  }

  @Test
  void theVelocityLimitCountsPaymentsInTheWindow() {
    TransferLimits threePerMinute = new TransferLimits(Map.of(), Map.of(), Map.of(EUR, 3));
    Account payer = account(AccountStatus.ACTIVE, EUR, 10);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(check(payer, payee, Money.of(1, EUR), threePerMinute, new OutgoingHistory(500, 2)))
        .isEmpty();
    assertThat(
            TransferRules.decide(
                    payer, payee, Money.of(1, EUR), threePerMinute, new OutgoingHistory(0, 3))
                .refusal()
                .limit())
        .isEqualTo("velocity_per_minute");
  }

  @Test
  void aLimitThatNeedsTheHistoryIsNeverDecidedWithoutIt() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 10);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TransferRules.decide(payer, payee, Money.of(1, EUR), LIMITS, null))
        .isInstanceOf(IllegalStateException.class);
    assertThat(
            TransferRules.decide(payer, payee, Money.of(1, EUR), TransferLimits.none(), null)
                .value()
                .balance())
        .isEqualTo(9);
  }

  @Test
  void everyRefusalCarriesADetailAndALimitOnlyWhenALimitRefused() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 0);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    Refusal perTransfer =
        TransferRules.decide(payer, payee, Money.of(50_001, EUR), LIMITS, OutgoingHistory.NONE)
            .refusal();
    Refusal funds =
        TransferRules.decide(payer, payee, Money.of(1, EUR), LIMITS, OutgoingHistory.NONE)
            .refusal();

    assertThat(perTransfer.limit()).isEqualTo("per_transfer_max");
    assertThat(perTransfer.detail()).contains("per-transfer limit for EUR");
    assertThat(funds.limit()).isNull();
    assertThat(funds.detail()).isEqualTo("the balance does not cover 0.01 EUR");
  }

  private static Optional<Rejection> check(
      Account from, Account to, Money amount, TransferLimits limits) {
    return check(from, to, amount, limits, OutgoingHistory.NONE);
  }

  private static Optional<Rejection> check(
      Account from, Account to, Money amount, TransferLimits limits, OutgoingHistory history) {
    return Optional.ofNullable(TransferRules.decide(from, to, amount, limits, history).refusal())
        .map(Refusal::rejection);
  }

  // --- TransferLimits ----------------------------------------------------------------------

  @Test
  void perTransferBreachIsStrictlyAboveTheMaximum() {
    assertThat(LIMITS.perTransferBreach(Money.of(50_000, EUR))).isEmpty();
    assertThat(LIMITS.perTransferBreach(Money.of(50_001, EUR))).contains("per_transfer_max");
  }

  @Test
  void dailyBreachIsWhenTheAmountTakesTodaysTotalAboveTheMaximum() {
    assertThat(LIMITS.dailyBreach(0, Money.of(100_000, EUR))).isEmpty();
    assertThat(LIMITS.dailyBreach(99_999, Money.of(1, EUR))).isEmpty();
    assertThat(LIMITS.dailyBreach(99_999, Money.of(2, EUR))).contains("daily_outgoing_max");
    assertThat(LIMITS.dailyBreach(100_000, Money.of(1, EUR))).contains("daily_outgoing_max");
    assertThat(LIMITS.dailyBreach(0, Money.of(100_001, EUR))).contains("daily_outgoing_max");
  }

  @Test
  void currencyWithoutALimitHasNoDailyBreach() {
    assertThat(LIMITS.dailyBreach(Money.AMOUNT_MAX, Money.of(Money.AMOUNT_MAX, USD))).isEmpty();
    assertThat(TransferLimits.none().dailyBreach(Money.AMOUNT_MAX, Money.of(1, EUR))).isEmpty();
    assertThat(TransferLimits.none().perTransferBreach(Money.of(Money.AMOUNT_MAX, EUR))).isEmpty();
  }

  @Test
  void dailyMaxIsKnownOnlyForConfiguredCurrencies() {
    assertThat(LIMITS.dailyMax(EUR)).contains(100_000L);
    assertThat(LIMITS.dailyMax(USD)).isEmpty();
  }

  @Test
  void limitsKeepTheirOwnCopyOfTheConfiguration() {
    Map<Currency, Long> perTransfer = new HashMap<>(Map.of(EUR, 10L));
    Map<Currency, Long> daily = new HashMap<>(Map.of(EUR, 10L));
    TransferLimits limits = new TransferLimits(perTransfer, daily);

    perTransfer.put(EUR, 1_000L);
    daily.put(EUR, 1_000L);

    assertThat(limits.perTransferBreach(Money.of(11, EUR))).isPresent();
    assertThat(limits.dailyBreach(0, Money.of(11, EUR))).isPresent();
  }
}
