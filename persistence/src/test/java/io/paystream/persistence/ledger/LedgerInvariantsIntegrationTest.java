package io.paystream.persistence.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.testing.LedgerAssertions;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferSettlement;
import io.paystream.persistence.transfer.TransferSettlement.Settled;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The invariants the database itself keeps, whatever the code above it tries. */
@SpringBootTest(classes = PersistenceTestApplication.class)
class LedgerInvariantsIntegrationTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired DatabaseClient db;
  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransferStore transfers;
  @Autowired TransferSettlement settlement;
  @Autowired TransactionalOperator transaction;
  @Autowired LedgerStore ledger;

  private UUID owner;
  private Account payer;
  private Account payee;

  @BeforeEach
  void twoAccounts() {
    owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    payer = accounts.open(owner, EUR).block(PATIENCE);
    payee = accounts.open(owner, EUR).block(PATIENCE);
  }

  @Test
  void concurrentDebitsNeverSpendTheSameMoneyTwice() {
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);

    List<Object> results =
        Flux.range(0, 20)
            .flatMap(
                i ->
                    transfers
                        .accept(accept(100))
                        .as(transaction::transactional)
                        .<Object>map(Transfer::id)
                        .onErrorResume(
                            RejectedException.class,
                            rejected -> reactor.core.publisher.Mono.just(rejected.rejection())),
                20)
            .collectList()
            .block(PATIENCE);

    assertThat(results).filteredOn(UUID.class::isInstance).hasSize(10);
    assertThat(results).filteredOn(Rejection.INSUFFICIENT_FUNDS::equals).hasSize(10);
    accounts
        .find(payer.id())
        .map(Account::balance)
        .as(StepVerifier::create)
        .expectNext(0L)
        .verifyComplete();
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void ledgerEntriesCannotBeUpdatedOrDeleted() {
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);

    db.sql("UPDATE entry SET amount = amount + 1 WHERE account_id = :id")
        .bind("id", payer.id())
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("append-only"))
        .verify(PATIENCE);
    db.sql("DELETE FROM journal")
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("append-only"))
        .verify(PATIENCE);
  }

  @Test
  void aCustomerBalanceCannotGoNegativeEvenByDirectSql() {
    db.sql("UPDATE account SET balance = -1 WHERE id = :id")
        .bind("id", payer.id())
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error).hasMessageContaining("account_customer_balance_not_negative"))
        .verify(PATIENCE);
  }

  @Test
  void aTerminalTransferCannotChangeStatusAgain() {
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
    Transfer pending = transfers.accept(accept(300)).as(transaction::transactional).block(PATIENCE);
    settle(pending.id()).as(StepVerifier::create).expectNext(Settled.COMPLETED).verifyComplete();

    db.sql("UPDATE transfer SET status = 'FAILED', failure_reason = 'x' WHERE id = :id")
        .bind("id", pending.id())
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("final"))
        .verify(PATIENCE);
    settle(pending.id())
        .as(StepVerifier::create)
        .expectNext(Settled.ALREADY_SETTLED)
        .verifyComplete();
  }

  @Test
  void aSettledTransferLeavesEveryCurrencyBalancedAndEveryBalanceReconciled() {
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
    Transfer pending = transfers.accept(accept(250)).as(transaction::transactional).block(PATIENCE);

    LedgerAssertions.assertBalanced(ledger);
    settle(pending.id()).block(PATIENCE);

    LedgerAssertions.assertBalanced(ledger);
    accounts
        .find(payee.id())
        .map(Account::balance)
        .as(StepVerifier::create)
        .expectNext(250L)
        .verifyComplete();
  }

  private TransferRequest accept(long amount) {
    return new TransferRequest(
        owner,
        false,
        payer.id(),
        payee.id(),
        Money.of(amount, EUR),
        "test",
        Metadata.NONE,
        null,
        TransferLimits.none());
  }

  /** One transfer's credit leg, in its own transaction, as the consumer runs it. */
  private reactor.core.publisher.Mono<Settled> settle(UUID transferId) {
    return settlement
        .settle(List.of(transferId))
        .map(settled -> settled.outcomes().get(0))
        .as(transaction::transactional);
  }
}
