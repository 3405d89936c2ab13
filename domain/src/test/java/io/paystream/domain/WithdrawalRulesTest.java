package io.paystream.domain;

import static io.paystream.domain.AccountTest.account;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A withdrawal obeys the same risk policies as a transfer, and says which one refused it. */
class WithdrawalRulesTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final TransferLimits LIMITS =
      new TransferLimits(Map.of(EUR, 500L), Map.of(EUR, 1_000L), Map.of(EUR, 2));

  @Test
  void anAllowedWithdrawalLeavesTheAccountLessTheAmount() {
    Account account = account(AccountStatus.ACTIVE, EUR, 700);

    assertThat(decide(account, 500, OutgoingHistory.NONE).value().balance()).isEqualTo(200);
  }

  @Test
  void eachLimitRefusesByName() {
    Account account = account(AccountStatus.ACTIVE, EUR, 10_000);

    assertThat(decide(account, 501, OutgoingHistory.NONE).refusal().limit())
        .isEqualTo("per_transfer_max");
    assertThat(decide(account, 500, new OutgoingHistory(501, 0)).refusal().limit())
        .isEqualTo("daily_outgoing_max");
    assertThat(decide(account, 1, new OutgoingHistory(0, 2)).refusal().limit())
        .isEqualTo("velocity_per_minute");
  }

  @Test
  void theFundsAreCheckedBeforeTheDailyLimit() {
    Account empty = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(decide(empty, 1, new OutgoingHistory(1_000, 0)).refusal().rejection())
        .isEqualTo(Rejection.INSUFFICIENT_FUNDS);
  }

  @Test
  void someoneElsesAccountIsNotFoundButAnOperatorMayPayOutOfIt() {
    Account account = account(AccountStatus.ACTIVE, EUR, 10);

    assertThat(
            WithdrawalRules.decide(
                    account, Ids.newId(), false, Money.of(1, EUR), LIMITS, OutgoingHistory.NONE)
                .refusal()
                .rejection())
        .isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
    assertThat(
            WithdrawalRules.decide(
                    account, Ids.newId(), true, Money.of(1, EUR), LIMITS, OutgoingHistory.NONE)
                .value()
                .balance())
        .isEqualTo(9);
    assertThat(
            WithdrawalRules.decide(
                    null, Ids.newId(), true, Money.of(1, EUR), LIMITS, OutgoingHistory.NONE)
                .refusal()
                .rejection())
        .isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
  }

  @Test
  void aFrozenAccountPaysNothingOut() {
    assertThat(
            decide(account(AccountStatus.FROZEN, EUR, 10), 1, OutgoingHistory.NONE)
                .refusal()
                .rejection())
        .isEqualTo(Rejection.ACCOUNT_NOT_ACTIVE);
  }

  private static Decision<Account> decide(Account account, long amount, OutgoingHistory history) {
    return WithdrawalRules.decide(
        account, account.ownerId(), false, Money.of(amount, EUR), LIMITS, history);
  }
}
