package io.paystream.domain;

import static io.paystream.domain.AccountTest.account;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.TransferBatch.Accepted;
import io.paystream.domain.TransferBatch.Decided;
import io.paystream.domain.TransferBatch.Refused;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A batch of transfers is decided as if each had been decided alone, one after the other. */
class TransferBatchTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final TransferLimits NONE = TransferLimits.none();

  @Test
  void aPayerWhoseMoneyRunsOutMidBatchHasItsLaterTransfersRefusedWhileOthersGoAhead() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 250);
    Account other = account(AccountStatus.ACTIVE, EUR, 100);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    List<Decided> decided =
        TransferBatch.decide(
            List.of(
                request(payer, payee, 100),
                request(payer, payee, 100),
                request(other, payee, 100),
                request(payer, payee, 100),
                request(payer, payee, 50)),
            accounts(payer, other, payee),
            Map.of(),
            NOW);

    assertThat(decided).hasSize(5);
    assertThat(((Accepted) decided.get(0)).payerBalanceAfter()).isEqualTo(150);
    assertThat(((Accepted) decided.get(1)).payerBalanceAfter()).isEqualTo(50);
    assertThat(((Accepted) decided.get(2)).payerBalanceAfter()).isZero();
    assertThat(((Refused) decided.get(3)).refusal().rejection())
        .isEqualTo(Rejection.INSUFFICIENT_FUNDS);
    assertThat(((Accepted) decided.get(4)).payerBalanceAfter()).isZero();
  }

  @Test
  void anAcceptedTransferIsPendingAtTheBatchesTimeWithWhatWasAsked() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 10);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    Transfer transfer =
        ((Accepted)
                TransferBatch.decide(
                        List.of(request(payer, payee, 7)), accounts(payer, payee), Map.of(), NOW)
                    .get(0))
            .transfer();

    assertThat(transfer.status()).isEqualTo(TransferStatus.PENDING);
    assertThat(transfer.fromAccountId()).isEqualTo(payer.id());
    assertThat(transfer.toAccountId()).isEqualTo(payee.id());
    assertThat(transfer.amount()).isEqualTo(Money.of(7, EUR));
    assertThat(transfer.description()).isEqualTo("rent");
    assertThat(transfer.createdAt()).isEqualTo(NOW);
  }

  @Test
  void someoneElsesOrAnUnknownPayerIsNotFoundAndAnUnknownPayeeSaysSo() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 10);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);
    TransferRequest stranger =
        new TransferRequest(
            Ids.newId(),
            false,
            payer.id(),
            payee.id(),
            Money.of(1, EUR),
            null,
            Metadata.NONE,
            null,
            NONE);
    TransferRequest operator =
        new TransferRequest(
            Ids.newId(),
            true,
            payer.id(),
            payee.id(),
            Money.of(1, EUR),
            null,
            Metadata.NONE,
            null,
            NONE);
    TransferRequest toNobody =
        new TransferRequest(
            payer.ownerId(),
            false,
            payer.id(),
            Ids.newId(),
            Money.of(1, EUR),
            null,
            Metadata.NONE,
            null,
            NONE);

    List<Decided> decided =
        TransferBatch.decide(
            List.of(stranger, operator, toNobody), accounts(payer, payee), Map.of(), NOW);

    assertThat(((Refused) decided.get(0)).refusal())
        .isEqualTo(Refusal.of(Rejection.ACCOUNT_NOT_FOUND, "account not found"));
    assertThat(decided.get(1)).isInstanceOf(Accepted.class);
    assertThat(((Refused) decided.get(2)).refusal())
        .isEqualTo(Refusal.of(Rejection.ACCOUNT_NOT_FOUND, "recipient account not found"));
  }

  @Test
  void theDailyAndVelocityLimitsCountTheTransfersAcceptedEarlierInTheBatch() {
    TransferLimits limits = new TransferLimits(Map.of(), Map.of(EUR, 300L), Map.of(EUR, 4));
    Account payer = account(AccountStatus.ACTIVE, EUR, 10_000);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);
    List<TransferRequest> requests =
        Stream.of(100, 100, 100, 1)
            .map(
                amount ->
                    new TransferRequest(
                        payer.ownerId(),
                        false,
                        payer.id(),
                        payee.id(),
                        Money.of(amount, EUR),
                        null,
                        Metadata.NONE,
                        null,
                        limits))
            .toList();

    List<Decided> decided =
        TransferBatch.decide(
            requests, accounts(payer, payee), Map.of(payer.id(), new OutgoingHistory(0, 0)), NOW);

    assertThat(decided.subList(0, 3)).allMatch(Accepted.class::isInstance);
    assertThat(((Refused) decided.get(3)).refusal().limit()).isEqualTo("daily_outgoing_max");
  }

  @Test
  void aRefusedTransferLeavesThePayerAsItWas() {
    Account payer = account(AccountStatus.ACTIVE, EUR, 100);
    Account frozen = account(AccountStatus.FROZEN, EUR, 0);
    Account payee = account(AccountStatus.ACTIVE, EUR, 0);

    List<Decided> decided =
        TransferBatch.decide(
            List.of(request(payer, frozen, 100), request(payer, payee, 100)),
            accounts(payer, frozen, payee),
            Map.of(),
            NOW);

    assertThat(((Refused) decided.get(0)).refusal().rejection())
        .isEqualTo(Rejection.ACCOUNT_NOT_ACTIVE);
    assertThat(((Accepted) decided.get(1)).payerBalanceAfter()).isZero();
  }

  private static TransferRequest request(Account from, Account to, long amount) {
    return new TransferRequest(
        from.ownerId(),
        false,
        from.id(),
        to.id(),
        Money.of(amount, EUR),
        "rent",
        Metadata.NONE,
        null,
        NONE);
  }

  private static Map<UUID, Account> accounts(Account... accounts) {
    return Stream.of(accounts).collect(Collectors.toMap(Account::id, account -> account));
  }
}
