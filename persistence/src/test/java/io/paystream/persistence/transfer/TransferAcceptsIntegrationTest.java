package io.paystream.persistence.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.domain.Account;
import io.paystream.domain.AccountStatus;
import io.paystream.domain.Direction;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferBatch.Accepted;
import io.paystream.domain.TransferBatch.Decided;
import io.paystream.domain.TransferBatch.Refused;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.LedgerEntry;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.testing.LedgerAssertions;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

/**
 * Group commit of accepts against the real database: each transfer of a batch is decided on its
 * own, in order, against what the earlier ones left, and only the accepted ones write anything.
 */
@SpringBootTest(classes = PersistenceTestApplication.class)
class TransferAcceptsIntegrationTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired TransferAccepts accepts;
  @Autowired TransactionalOperator transaction;
  @Autowired DatabaseClient db;
  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired LedgerStore ledger;

  private UUID owner;
  private Account payer;
  private Account payee;

  @BeforeEach
  void twoAccounts() {
    owner = newUser();
    payer = accounts.open(owner, EUR).block(PATIENCE);
    payee = accounts.open(owner, EUR).block(PATIENCE);
  }

  @Test
  void eachTransferIsDecidedAgainstTheBalanceTheEarlierOnesOfItsBatchLeft() {
    fund(payer, 1_000);

    List<Outcome> outcomes =
        acceptInOneTransaction(
            List.of(
                transfer(payer, payee, 400),
                transfer(payer, payee, 400),
                transfer(payer, payee, 400),
                transfer(payer, payee, 200)));

    assertThat(outcomes)
        .extracting(TransferAcceptsIntegrationTest::code)
        .containsExactly("PENDING", "PENDING", "insufficient_funds", "PENDING");
    assertThat(balance(payer)).isZero();
    assertThat(balance(payee)).isZero();
    // Each debit entry shows the balance right after its own transfer, in batch order.
    List<LedgerEntry> debits =
        ledger
            .latest(payer.id(), 10)
            .filter(entry -> entry.direction() == Direction.DEBIT)
            .collectList()
            .block(PATIENCE);
    assertThat(debits).extracting(LedgerEntry::balanceAfter).containsExactly(0L, 200L, 600L);
    assertThat(debits)
        .extracting(LedgerEntry::transferId)
        .containsExactly(
            outcomes.get(3).transfer().id(),
            outcomes.get(1).transfer().id(),
            outcomes.get(0).transfer().id());
    assertThat(countWhere("transfer", "from_account_id", payer.id())).isEqualTo(3);
    assertThat(pendingEventsFor(outcomes)).isEqualTo(3);
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void aRefusalNamesItsOwnReasonAndTheRestOfTheBatchGoesAhead() {
    fund(payer, 10_000);
    UUID stranger = newUser();
    Account strangers = accounts.open(stranger, EUR).block(PATIENCE);
    fund(strangers, 10_000);
    Account dollars = accounts.open(owner, USD).block(PATIENCE);
    Account frozen = accounts.open(owner, EUR).block(PATIENCE);
    accounts.changeStatus(frozen.id(), AccountStatus.ACTIVE, AccountStatus.FROZEN).block(PATIENCE);
    TransferLimits capped = new TransferLimits(Map.of(EUR, 500L), Map.of());

    List<Outcome> outcomes =
        acceptInOneTransaction(
            List.of(
                new TransferRequest(
                    owner,
                    false,
                    strangers.id(),
                    payee.id(),
                    Money.of(100, EUR),
                    null,
                    Metadata.NONE,
                    null,
                    TransferLimits.none()),
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    Ids.newId(),
                    Money.of(100, EUR),
                    null,
                    Metadata.NONE,
                    null,
                    TransferLimits.none()),
                transfer(payer, dollars, 100),
                transfer(payer, payer, 100),
                transfer(payer, frozen, 100),
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(501, EUR),
                    null,
                    Metadata.NONE,
                    null,
                    capped),
                transfer(payer, payee, 100)));

    assertThat(outcomes)
        .extracting(TransferAcceptsIntegrationTest::code)
        .containsExactly(
            "account_not_found",
            "account_not_found",
            "currency_mismatch",
            "same_account",
            "account_not_active",
            "limit_exceeded",
            "PENDING");
    assertThat(outcomes.get(5).rejected().limit()).isEqualTo("per_transfer_max");
    assertThat(balance(payer)).isEqualTo(9_900);
    assertThat(balance(strangers)).isEqualTo(10_000);
    assertThat(countWhere("transfer", "from_account_id", payer.id())).isEqualTo(1);
    assertThat(countWhere("transfer", "from_account_id", strangers.id())).isZero();
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void anOpsRequestMayMoveMoneyFromAnyAccount() {
    fund(payer, 1_000);

    List<Outcome> outcomes =
        acceptInOneTransaction(
            List.of(
                new TransferRequest(
                    newUser(),
                    true,
                    payer.id(),
                    payee.id(),
                    Money.of(300, EUR),
                    "by ops",
                    Metadata.NONE,
                    null,
                    TransferLimits.none())));

    assertThat(outcomes)
        .extracting(TransferAcceptsIntegrationTest::code)
        .containsExactly("PENDING");
    assertThat(balance(payer)).isEqualTo(700);
  }

  @Test
  void payersThatPayEachOtherInOneBatchAreEachDebitedTheirOwnTotal() {
    fund(payer, 500);
    fund(payee, 300);

    List<Outcome> outcomes =
        acceptInOneTransaction(
            List.of(
                transfer(payer, payee, 200),
                transfer(payee, payer, 300),
                transfer(payer, payee, 250),
                transfer(payee, payer, 1)));

    // The payee's incoming 200 is only credited later: it cannot fund the payee's 1 here.
    assertThat(outcomes)
        .extracting(TransferAcceptsIntegrationTest::code)
        .containsExactly("PENDING", "PENDING", "PENDING", "insufficient_funds");
    assertThat(balance(payer)).isEqualTo(50);
    assertThat(balance(payee)).isZero();
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void theDailyLimitCountsWhatThePayerSentBeforeAndEarlierInItsBatch() {
    fund(payer, 1_000);
    TransferLimits daily = new TransferLimits(Map.of(), Map.of(EUR, 250L));
    acceptInOneTransaction(List.of(limited(100, daily)));

    List<Outcome> outcomes =
        acceptInOneTransaction(
            List.of(limited(100, daily), limited(100, daily), limited(50, daily)));

    assertThat(outcomes)
        .extracting(TransferAcceptsIntegrationTest::code)
        .containsExactly("PENDING", "limit_exceeded", "PENDING");
    assertThat(outcomes.get(1).rejected().limit()).isEqualTo("daily_outgoing_max");
    assertThat(balance(payer)).isEqualTo(750);
    assertThat(countWhere("transfer", "from_account_id", payer.id())).isEqualTo(3);
  }

  private TransferRequest limited(long amount, TransferLimits limits) {
    return new TransferRequest(
        owner,
        false,
        payer.id(),
        payee.id(),
        Money.of(amount, EUR),
        null,
        Metadata.NONE,
        null,
        limits);
  }

  @Test
  void concurrentBatchesOverTheSameAccountsNeitherOverspendNorLoseMoney() {
    List<Account> ring =
        new ArrayList<>(
            List.of(
                payer,
                payee,
                accounts.open(owner, EUR).block(PATIENCE),
                accounts.open(owner, EUR).block(PATIENCE)));
    ring.forEach(account -> fund(account, 2_000));
    SplittableRandom random = new SplittableRandom(20261206);
    List<List<TransferRequest>> batches = new ArrayList<>();
    for (int b = 0; b < 24; b++) {
      List<TransferRequest> batch = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        int from = random.nextInt(ring.size());
        int to = (from + 1 + random.nextInt(ring.size() - 1)) % ring.size();
        batch.add(transfer(ring.get(from), ring.get(to), 1 + random.nextInt(400)));
      }
      batches.add(batch);
    }

    List<Outcome> outcomes =
        Flux.fromIterable(batches)
            .flatMap(batch -> accepts.accept(batch).as(transaction::transactional), 8)
            .flatMapIterable(list -> list)
            .map(Outcome::of)
            .collectList()
            .block(PATIENCE);

    long accepted = outcomes.stream().filter(outcome -> outcome.transfer() != null).count();
    long debited =
        outcomes.stream()
            .filter(outcome -> outcome.transfer() != null)
            .mapToLong(outcome -> outcome.transfer().amount().minorUnits())
            .sum();
    assertThat(outcomes).hasSize(24 * 12);
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.rejected() != null)
        .allSatisfy(outcome -> assertThat(code(outcome)).isEqualTo("insufficient_funds"));
    assertThat(accepted).isPositive();
    long left = ring.stream().mapToLong(this::balance).sum();
    assertThat(ring).allSatisfy(account -> assertThat(balance(account)).isNotNegative());
    assertThat(left).isEqualTo(4 * 2_000 - debited);
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void theDatabaseRefusesRefundsBeyondTheTransferOfAnOpenOneOrNotBackToThePayer() {
    fund(payer, 1_000);
    // The payee can pay every refund below without the credit leg's credit.
    fund(payee, 1_000);
    Transfer paid = acceptInOneTransaction(List.of(transfer(payer, payee, 500))).get(0).transfer();
    // Without the credit leg here: refunds are checked against a PENDING transfer, then a
    // COMPLETED one (the status the credit leg would give it).
    assertThatThrownBy(() -> acceptInOneTransaction(List.of(refund(paid, 100, payee, payer))))
        .hasMessageContaining("cannot be refunded");
    db.sql("UPDATE transfer SET status = 'COMPLETED' WHERE id = :id")
        .bind("id", paid.id())
        .fetch()
        .rowsUpdated()
        .block(PATIENCE);

    // Two refunds within the amount pass; one more cent, or one the wrong way round, does not.
    // The API decides the same before it writes; this is the database's own guard.
    Transfer first =
        acceptInOneTransaction(List.of(refund(paid, 300, payee, payer))).get(0).transfer();
    acceptInOneTransaction(List.of(refund(paid, 200, payee, payer)));
    assertThatThrownBy(() -> acceptInOneTransaction(List.of(refund(paid, 1, payee, payer))))
        .hasMessageContaining("would reach 501 of its 500");
    assertThatThrownBy(() -> acceptInOneTransaction(List.of(refund(paid, 1, payer, payee))))
        .hasMessageContaining("does not reverse");
    assertThatThrownBy(() -> acceptInOneTransaction(List.of(refund(first, 1, payer, payee))))
        .hasMessageContaining("cannot be refunded");
    // A FAILED refund no longer counts.
    db.sql("UPDATE transfer SET status = 'FAILED', failure_reason = 'test' WHERE id = :id")
        .bind("id", first.id())
        .fetch()
        .rowsUpdated()
        .block(PATIENCE);
    assertThat(code(acceptInOneTransaction(List.of(refund(paid, 300, payee, payer))).get(0)))
        .isEqualTo("PENDING");
  }

  private TransferRequest refund(Transfer of, long amount, Account from, Account to) {
    return new TransferRequest(
        from.ownerId(),
        false,
        from.id(),
        to.id(),
        Money.of(amount, EUR),
        "refund",
        Metadata.NONE,
        of.id(),
        TransferLimits.none());
  }

  private List<Outcome> acceptInOneTransaction(List<TransferRequest> batch) {
    return accepts
        .accept(batch)
        .as(transaction::transactional)
        .map(decided -> decided.stream().map(Outcome::of).toList())
        .block(PATIENCE);
  }

  /** One decision as the assertions read it: the transfer, or the refusal as thrown. */
  private record Outcome(Transfer transfer, RejectedException rejected) {
    static Outcome of(Decided decided) {
      return decided instanceof Accepted accepted
          ? new Outcome(accepted.transfer(), null)
          : new Outcome(null, ((Refused) decided).refusal().exception());
    }
  }

  private TransferRequest transfer(Account from, Account to, long amount) {
    return new TransferRequest(
        from.ownerId(),
        false,
        from.id(),
        to.id(),
        Money.of(amount, EUR),
        "batch",
        Metadata.NONE,
        null,
        TransferLimits.none());
  }

  private static String code(Outcome outcome) {
    return outcome.rejected() != null
        ? outcome.rejected().rejection().code()
        : outcome.transfer().status().name();
  }

  private UUID newUser() {
    UUID id = Ids.newId();
    users
        .insert(
            new UserRecord(
                id, id + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    return id;
  }

  private void fund(Account account, long amount) {
    deposits
        .deposit(
            account.ownerId(),
            false,
            account.id(),
            Money.of(amount, account.currency()),
            null,
            Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
  }

  private long balance(Account account) {
    return accounts.find(account.id()).map(Account::balance).block(PATIENCE);
  }

  private long countWhere(String table, String column, UUID value) {
    return db.sql("SELECT count(*) AS n FROM " + table + " WHERE " + column + " = :value")
        .bind("value", value)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(PATIENCE);
  }

  private long pendingEventsFor(List<Outcome> outcomes) {
    String[] ids =
        outcomes.stream()
            .filter(outcome -> outcome.transfer() != null)
            .map(outcome -> outcome.transfer().id().toString())
            .toArray(String[]::new);
    return db.sql(
            """
            SELECT count(*) AS n FROM outbox
             WHERE event_type = 'transfer.pending'
               AND (CAST(payload AS jsonb) ->> 'data')::jsonb ->> 'id' = ANY(:ids)""")
        .bind("ids", ids)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(PATIENCE);
  }
}
