package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskLimitTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");

  private static final TransferLimits LIMITS =
      new TransferLimits(Map.of(EUR, 500L), Map.of(EUR, 1_000L), Map.of(EUR, 3));

  @Test
  void velocityAllowsTheConfiguredNumberOfTransfersPerMinute() {
    assertThat(LIMITS.velocityBreach(0, EUR)).isEmpty();
    assertThat(LIMITS.velocityBreach(2, EUR)).isEmpty();
  }

  @Test
  void velocityRefusesTheTransferAfterTheConfiguredNumber() {
    assertThat(LIMITS.velocityBreach(3, EUR)).contains("velocity_per_minute");
    assertThat(LIMITS.velocityBreach(50, EUR)).contains("velocity_per_minute");
  }

  @Test
  void aCurrencyWithoutAVelocityLimitIsNotLimited() {
    assertThat(LIMITS.velocityBreach(Long.MAX_VALUE - 1, USD)).isEmpty();
    assertThat(TransferLimits.none().velocityBreach(1_000_000, EUR)).isEmpty();
  }

  @Test
  void everyBreachNamesItsPolicy() {
    assertThat(LIMITS.perTransferBreach(Money.of(501, EUR))).contains("per_transfer_max");
    assertThat(LIMITS.dailyBreach(900, Money.of(101, EUR))).contains("daily_outgoing_max");
  }

  @Test
  void aBreachIsALimitExceededRejectionCarryingTheLimitName() {
    Refusal breach = RiskLimit.VELOCITY_PER_MINUTE.refusal("too many transfers");

    assertThat(breach.rejection()).isEqualTo(Rejection.LIMIT_EXCEEDED);
    assertThat(breach.limit()).isEqualTo("velocity_per_minute");
    assertThat(breach.exception().refusal()).isEqualTo(breach);
    assertThat(new RejectedException(Rejection.INSUFFICIENT_FUNDS, "no money").limit()).isNull();
  }

  @Test
  void onlyDailyAndVelocityLimitsNeedTheAccountsHistory() {
    assertThat(LIMITS.needsHistory(EUR)).isTrue();
    assertThat(new TransferLimits(Map.of(EUR, 1L), Map.of()).needsHistory(EUR)).isFalse();
    assertThat(new TransferLimits(Map.of(), Map.of(), Map.of(USD, 1)).needsHistory(USD)).isTrue();
  }

  @Test
  void limitNamesAreStableSnakeCase() {
    for (RiskLimit limit : RiskLimit.values()) {
      assertThat(limit.limitName()).matches("[a-z][a-z_]*");
    }
  }
}
