package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.MoneyEvent.DepositCompleted;
import io.paystream.domain.MoneyEvent.TransferEvent;
import io.paystream.domain.MoneyEvent.WithdrawalEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A money event names itself after its resource's state and is keyed by the side that acts next.
 */
class MoneyEventTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Money TEN = Money.of(10, "EUR");

  @Test
  void aTransfersEventsAreNamedAfterItsStatusAndKeyedByThePayee() {
    Transfer pending =
        Transfer.accept(Ids.newId(), Ids.newId(), TEN, null, Metadata.NONE, null, NOW);

    MoneyEvent created = MoneyEvent.of(pending, NOW);
    MoneyEvent completed = MoneyEvent.of(pending.complete(NOW), NOW);
    MoneyEvent failed = MoneyEvent.of(pending.fail("recipient account is frozen", NOW), NOW);

    assertThat(created.type()).isEqualTo("transfer.pending");
    assertThat(completed.type()).isEqualTo("transfer.completed");
    assertThat(failed.type()).isEqualTo("transfer.failed");
    assertThat(created.key()).isEqualTo(pending.toAccountId());
    assertThat(created.accounts()).containsExactly(pending.fromAccountId(), pending.toAccountId());
    assertThat(created.isTerminal()).isFalse();
    assertThat(completed.isTerminal()).isTrue();
    assertThat(created).isInstanceOf(TransferEvent.class);
    assertThat(created.eventId()).isNotEqualTo(completed.eventId());
  }

  @Test
  void aWithdrawalsPendingEventStartsThePayoutAndOnlyThatOne() {
    UUID account = Ids.newId();
    Withdrawal pending =
        Withdrawal.accept(
            Ids.newId(), account, TEN, Iban.parse("DE89370400440532013000"), Metadata.NONE, NOW);

    WithdrawalEvent created = (WithdrawalEvent) MoneyEvent.of(pending, NOW);
    WithdrawalEvent processing = (WithdrawalEvent) MoneyEvent.of(pending.processing(NOW), NOW);

    assertThat(created.type()).isEqualTo("withdrawal.pending");
    assertThat(created.startsPayout()).isTrue();
    assertThat(processing.type()).isEqualTo("withdrawal.processing");
    assertThat(processing.startsPayout()).isFalse();
    assertThat(created.key()).isEqualTo(account);
    assertThat(created.accounts()).containsExactly(account);
  }

  @Test
  void aDepositIsCompletedKeyedAndCarriedByItsAccount() {
    Deposit deposit = new Deposit(Ids.newId(), Ids.newId(), TEN, "salary", Metadata.NONE, NOW);

    MoneyEvent event = MoneyEvent.of(deposit, NOW);

    assertThat(event).isInstanceOf(DepositCompleted.class);
    assertThat(event.type()).isEqualTo("deposit.completed");
    assertThat(event.key()).isEqualTo(deposit.accountId());
    assertThat(event.resourceId()).isEqualTo(deposit.id());
    assertThat(event.isTerminal()).isTrue();
  }
}
