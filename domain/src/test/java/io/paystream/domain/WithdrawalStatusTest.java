package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WithdrawalStatusTest {

  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void theOnlyPathsArePendingThenProcessingThenCompletedOrFailed() {
    assertThat(WithdrawalStatus.PENDING.next())
        .isEqualTo(EnumSet.of(WithdrawalStatus.PROCESSING, WithdrawalStatus.FAILED));
    assertThat(WithdrawalStatus.PROCESSING.next())
        .isEqualTo(EnumSet.of(WithdrawalStatus.COMPLETED, WithdrawalStatus.FAILED));
    assertThat(WithdrawalStatus.PENDING.isTerminal()).isFalse();
    assertThat(WithdrawalStatus.PROCESSING.isTerminal()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = WithdrawalStatus.class,
      names = {"COMPLETED", "FAILED"})
  void aTerminalStatusCannotBeLeftForAnyOther(WithdrawalStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (WithdrawalStatus target : WithdrawalStatus.values()) {
      assertThat(terminal.canMoveTo(target)).isFalse();
      assertThatThrownBy(() -> terminal.requireCanMoveTo(target))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(terminal.name());
    }
  }

  @Test
  void aCompletedWithdrawalCarriesTheProviderReferenceAndCannotFailAfterwards() {
    Withdrawal pending =
        Withdrawal.accept(
            Ids.newId(),
            UUID.randomUUID(),
            Money.of(500, "EUR"),
            Iban.parse("DE89370400440532013000"),
            Metadata.NONE,
            NOW);
    Withdrawal completed = pending.processing(NOW).complete("ref-1", NOW);

    assertThat(completed.status()).isEqualTo(WithdrawalStatus.COMPLETED);
    assertThat(completed.externalReference()).isEqualTo("ref-1");
    assertThat(completed.maskedDestination()).isEqualTo("DE89**************3000");
    assertThatThrownBy(() -> completed.fail("late", NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("COMPLETED");
  }

  @Test
  void aPendingWithdrawalCannotCompleteWithoutBeingProcessedFirst() {
    Withdrawal pending =
        Withdrawal.accept(
            Ids.newId(),
            UUID.randomUUID(),
            Money.of(500, "EUR"),
            Iban.parse("DE89370400440532013000"),
            Metadata.NONE,
            NOW);
    assertThatThrownBy(() -> pending.complete("ref", NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PENDING");
  }
}
