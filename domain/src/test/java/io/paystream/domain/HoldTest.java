package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HoldTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Instant EXPIRES = NOW.plusSeconds(60);

  private static Hold hold(HoldStatus status, Long captured, UUID transfer) {
    return new Hold(
        Ids.newId(),
        Ids.newId(),
        Ids.newId(),
        Money.of(500, "EUR"),
        "order",
        Metadata.NONE,
        status,
        captured,
        transfer,
        EXPIRES,
        NOW,
        NOW);
  }

  @Test
  void aHeldHoldCanEndUntilItsExpiry() {
    Hold held = hold(HoldStatus.HELD, null, null);

    assertThat(held.refusesToEnd(NOW)).isNull();
    assertThat(held.refusesToEnd(EXPIRES.minusMillis(1))).isNull();
    assertThat(held.refusesToEnd(EXPIRES).rejection()).isEqualTo(Rejection.HOLD_EXPIRED);
  }

  @Test
  void anEndedHoldIsRefusedWithHowItEnded() {
    assertThat(hold(HoldStatus.CAPTURED, 200L, Ids.newId()).refusesToEnd(NOW).rejection())
        .isEqualTo(Rejection.HOLD_CAPTURED);
    assertThat(hold(HoldStatus.VOIDED, null, null).refusesToEnd(NOW).rejection())
        .isEqualTo(Rejection.HOLD_VOIDED);
    assertThat(hold(HoldStatus.EXPIRED, null, null).refusesToEnd(NOW).rejection())
        .isEqualTo(Rejection.HOLD_EXPIRED);
  }

  @Test
  void onlyACapturedHoldNamesATransferAndItsCaptureFitsTheAmount() {
    assertThatThrownBy(() -> hold(HoldStatus.HELD, 100L, Ids.newId()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> hold(HoldStatus.CAPTURED, null, null))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> hold(HoldStatus.CAPTURED, 501L, Ids.newId()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(hold(HoldStatus.CAPTURED, 500L, Ids.newId()).capturedAmount()).isEqualTo(500);
  }

  @Test
  void eventNamesFollowTheStatus() {
    assertThat(HoldStatus.HELD.eventType()).isEqualTo("hold.created");
    assertThat(HoldStatus.CAPTURED.eventType()).isEqualTo("hold.captured");
    assertThat(HoldStatus.VOIDED.eventType()).isEqualTo("hold.voided");
    assertThat(HoldStatus.EXPIRED.eventType()).isEqualTo("hold.expired");
    assertThat(MoneyEvent.PUBLIC_TYPES)
        .contains("hold.created", "hold.captured", "hold.voided", "hold.expired");
  }
}
