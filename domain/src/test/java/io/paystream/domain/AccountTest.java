package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.domain.Account.Actor;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AccountTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");
  private static final Instant OPENED_AT = Instant.parse("2026-11-21T09:00:00Z");

  @Test
  void openedAccountIsActiveEmptyAndOwned() {
    UUID owner = Ids.newId();

    Account account = Account.open(owner, EUR, OPENED_AT);

    assertThat(account.status()).isEqualTo(AccountStatus.ACTIVE);
    assertThat(account.balance()).isZero();
    assertThat(account.currency()).isEqualTo(EUR);
    assertThat(account.createdAt()).isEqualTo(OPENED_AT);
    assertThat(account.id().version()).isEqualTo(7);
    assertThat(account.isOwnedBy(owner)).isTrue();
    assertThat(account.isOwnedBy(Ids.newId())).isFalse();
  }

  @Test
  void accountWithANegativeBalanceCannotExist() {
    assertThatThrownBy(() -> account(AccountStatus.ACTIVE, EUR, -1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("negative balance");
  }

  // --- debit -------------------------------------------------------------------------------

  @Test
  void debitOfTheWholeBalanceIsAllowed() {
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 1_000).debit(Money.of(1_000, EUR))))
        .isEmpty();
  }

  @Test
  void debitIsRefusedWhenBalanceWouldGoNegative() {
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 999).debit(Money.of(1_000, EUR))))
        .contains(Rejection.INSUFFICIENT_FUNDS);
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 0).debit(Money.of(1, EUR))))
        .contains(Rejection.INSUFFICIENT_FUNDS);
  }

  // --- holds -------------------------------------------------------------------------------

  @Test
  void heldMoneyCannotBeDebitedOrHeldAgainUntilReleased() {
    Account held = account(AccountStatus.ACTIVE, EUR, 1_000).hold(Money.of(600, EUR)).value();

    assertThat(held.balance()).isEqualTo(1_000);
    assertThat(held.held()).isEqualTo(600);
    assertThat(held.availableBalance()).isEqualTo(400);
    assertThat(refusal(held.debit(Money.of(401, EUR)))).contains(Rejection.INSUFFICIENT_FUNDS);
    assertThat(refusal(held.hold(Money.of(401, EUR)))).contains(Rejection.INSUFFICIENT_FUNDS);
    assertThat(held.debit(Money.of(400, EUR)).value().balance()).isEqualTo(600);
    Account released = held.release(600);
    assertThat(released.availableBalance()).isEqualTo(1_000);
    assertThat(refusal(released.debit(Money.of(1_000, EUR)))).isEmpty();
  }

  @Test
  void aHoldIsRefusedAsADebitWouldBe() {
    assertThat(refusal(account(AccountStatus.FROZEN, EUR, 1_000).hold(Money.of(1, EUR))))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 1_000).hold(Money.of(1, USD))))
        .contains(Rejection.CURRENCY_MISMATCH);
  }

  @Test
  void releasingMoreThanIsHeldOrHoldingMoreThanTheBalanceIsABug() {
    Account held = account(AccountStatus.ACTIVE, EUR, 1_000).hold(Money.of(600, EUR)).value();

    assertThatThrownBy(() -> held.release(601)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> held.release(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                new Account(Ids.newId(), Ids.newId(), EUR, 10, 11, AccountStatus.ACTIVE, OPENED_AT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds 11");
  }

  @ParameterizedTest
  @EnumSource(
      value = AccountStatus.class,
      names = {"FROZEN", "CLOSED"})
  void debitIsRefusedFromAnAccountThatIsNotActiveEvenWithFunds(AccountStatus status) {
    assertThat(refusal(account(status, EUR, 1_000).debit(Money.of(1, EUR))))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
  }

  @Test
  void debitInAnotherCurrencyIsRefusedAsCurrencyMismatch() {
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 1_000).debit(Money.of(1, USD))))
        .contains(Rejection.CURRENCY_MISMATCH);
  }

  @Test
  void debitRefusalNamesStatusBeforeCurrencyAndCurrencyBeforeFunds() {
    assertThat(refusal(account(AccountStatus.FROZEN, EUR, 0).debit(Money.of(1, USD))))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 0).debit(Money.of(1, USD))))
        .contains(Rejection.CURRENCY_MISMATCH);
  }

  // --- credit ------------------------------------------------------------------------------

  @Test
  void creditIsAllowedToAnEmptyActiveAccountOfTheSameCurrency() {
    assertThat(
            refusal(account(AccountStatus.ACTIVE, EUR, 0).credit(Money.of(Money.AMOUNT_MAX, EUR))))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = AccountStatus.class,
      names = {"FROZEN", "CLOSED"})
  void creditIsRefusedToAnAccountThatIsNotActive(AccountStatus status) {
    assertThat(refusal(account(status, EUR, 0).credit(Money.of(1, EUR))))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(refusal(account(status, EUR, 0).credit(Money.of(1, USD))))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
  }

  @Test
  void creditInAnotherCurrencyIsRefusedAsCurrencyMismatch() {
    assertThat(refusal(account(AccountStatus.ACTIVE, EUR, 0).credit(Money.of(1, USD))))
        .contains(Rejection.CURRENCY_MISMATCH);
  }

  // --- status ------------------------------------------------------------------------------

  /** Every (from, to) pair, with an empty and a funded account; "-" means allowed. */
  @ParameterizedTest(name = "{0} -> {1}: empty {2}, funded {3}")
  @CsvSource({
    "ACTIVE, ACTIVE, -, -",
    "ACTIVE, FROZEN, -, -",
    "ACTIVE, CLOSED, -, BALANCE_NOT_ZERO",
    "FROZEN, ACTIVE, -, -",
    "FROZEN, FROZEN, -, -",
    "FROZEN, CLOSED, -, BALANCE_NOT_ZERO",
    "CLOSED, ACTIVE, ACCOUNT_NOT_ACTIVE, ACCOUNT_NOT_ACTIVE",
    "CLOSED, FROZEN, ACCOUNT_NOT_ACTIVE, ACCOUNT_NOT_ACTIVE",
    "CLOSED, CLOSED, -, -",
  })
  void statusChangeFollowsTheLifecycleAndClosingNeedsAZeroBalance(
      AccountStatus from, AccountStatus to, String whenEmpty, String whenFunded) {
    assertThat(account(from, EUR, 0).refusesStatus(to, Actor.OPERATOR).map(Refusal::rejection))
        .isEqualTo(expected(whenEmpty));
    assertThat(account(from, EUR, 1).refusesStatus(to, Actor.OPERATOR).map(Refusal::rejection))
        .isEqualTo(expected(whenFunded));
  }

  @ParameterizedTest(name = "FROZEN -> {0}")
  @EnumSource(
      value = AccountStatus.class,
      names = {"ACTIVE", "CLOSED"})
  void anOwnerCannotChangeTheStatusOfAFrozenAccount(AccountStatus target) {
    Account frozen = account(AccountStatus.FROZEN, EUR, 0);

    assertThat(frozen.refusesStatus(target, Actor.OWNER).map(Refusal::rejection))
        .contains(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(frozen.refusesStatus(target, Actor.OWNER).orElseThrow().detail())
        .contains("only an operator");
    assertThat(frozen.refusesStatus(target, Actor.OPERATOR)).isEmpty();
    assertThat(frozen.refusesStatus(AccountStatus.FROZEN, Actor.OWNER)).isEmpty();
  }

  @Test
  void anOwnerClosesAnActiveEmptyAccount() {
    assertThat(
            account(AccountStatus.ACTIVE, EUR, 0).refusesStatus(AccountStatus.CLOSED, Actor.OWNER))
        .isEmpty();
    assertThat(
            account(AccountStatus.ACTIVE, EUR, 1)
                .refusesStatus(AccountStatus.CLOSED, Actor.OWNER)
                .map(Refusal::rejection))
        .contains(Rejection.BALANCE_NOT_ZERO);
  }

  @Test
  void closedIsTerminal() {
    for (AccountStatus target : AccountStatus.values()) {
      assertThat(AccountStatus.CLOSED.canMoveTo(target)).isFalse();
    }
    assertThat(AccountStatus.ACTIVE.canMoveTo(AccountStatus.CLOSED)).isTrue();
    assertThat(AccountStatus.FROZEN.canMoveTo(AccountStatus.CLOSED)).isTrue();
  }

  // --- balances after a change --------------------------------------------------------------

  @Test
  void aDebitLeavesTheBalanceLessTheAmountAndChangesNothingElse() {
    Account before = account(AccountStatus.ACTIVE, EUR, 1_000);

    Account after = before.debit(Money.of(400, EUR)).value();

    assertThat(after.balance()).isEqualTo(600);
    assertThat(after).usingRecursiveComparison().ignoringFields("balance").isEqualTo(before);
  }

  @Test
  void aCreditLeavesTheBalancePlusTheAmount() {
    assertThat(account(AccountStatus.ACTIVE, EUR, 1_000).credit(Money.of(5, EUR)).value().balance())
        .isEqualTo(1_005);
  }

  @Test
  void aCreditUpToTheMaximumBalanceIsAllowedAndOneMinorUnitMoreIsRefusedByName() {
    Account nearlyFull = account(AccountStatus.ACTIVE, EUR, Account.BALANCE_MAX - 10);

    assertThat(nearlyFull.credit(Money.of(10, EUR)).value().balance())
        .isEqualTo(Account.BALANCE_MAX);
    Refusal refused = nearlyFull.credit(Money.of(11, EUR)).refusal();
    assertThat(refused.rejection()).isEqualTo(Rejection.LIMIT_EXCEEDED);
    assertThat(refused.limit()).isEqualTo("balance_max");
  }

  @Test
  void theLargestAmountOnTheLargestBalanceNeverOverflows() {
    Account full = account(AccountStatus.ACTIVE, EUR, Account.BALANCE_MAX);

    assertThat(refusal(full.credit(Money.of(Money.AMOUNT_MAX, EUR))))
        .contains(Rejection.LIMIT_EXCEEDED);
    assertThat(full.giveBack(Money.of(Money.AMOUNT_MAX, EUR)).balance())
        .isEqualTo(Account.BALANCE_MAX + Money.AMOUNT_MAX);
  }

  @ParameterizedTest
  @EnumSource(AccountStatus.class)
  void moneyIsGivenBackWhateverTheStatusButNeverInAnotherCurrency(AccountStatus status) {
    Account payer = account(status, EUR, 0);

    assertThat(payer.giveBack(Money.of(7, EUR)).balance()).isEqualTo(7);
    assertThatThrownBy(() -> payer.giveBack(Money.of(7, USD)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyTheOwnerOrAnOperatorMayMoveAnAccountsMoney() {
    Account account = account(AccountStatus.ACTIVE, EUR, 0);

    assertThat(account.isMovableBy(account.ownerId(), false)).isTrue();
    assertThat(account.isMovableBy(Ids.newId(), true)).isTrue();
    assertThat(account.isMovableBy(Ids.newId(), false)).isFalse();
  }

  private static Optional<Rejection> refusal(Decision<Account> decision) {
    return Optional.ofNullable(decision.refusal()).map(Refusal::rejection);
  }

  private static Optional<Rejection> expected(String rejection) {
    return rejection.equals("-") ? Optional.empty() : Optional.of(Rejection.valueOf(rejection));
  }

  static Account account(AccountStatus status, Currency currency, long balance) {
    return new Account(Ids.newId(), Ids.newId(), currency, balance, 0L, status, OPENED_AT);
  }
}
