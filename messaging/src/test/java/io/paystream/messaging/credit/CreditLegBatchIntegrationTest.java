package io.paystream.messaging.credit;

import static io.paystream.messaging.credit.CreditLeg.Outcome.ALREADY_SETTLED;
import static io.paystream.messaging.credit.CreditLeg.Outcome.COMPLETED;
import static io.paystream.messaging.credit.CreditLeg.Outcome.DUPLICATE;
import static io.paystream.messaging.credit.CreditLeg.Outcome.REFUNDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.AccountStatus;
import io.paystream.domain.Ids;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferStatus;
import io.paystream.messaging.credit.CreditFixtures.EntryRow;
import io.paystream.messaging.credit.CreditLeg.Delivery;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.LedgerStore;
import io.paystream.persistence.testing.LedgerAssertions;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.transfer.TransferStore;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Several pending credits applied in one transaction ({@link CreditLeg#applyAll}) read exactly as
 * if each had been applied alone, in message order: the same balances, one journal with its own
 * running balance per transfer, one status and one event each, each message applied at most once.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
    })
class CreditLegBatchIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DepositStore deposits;
  @Autowired TransferStore transfers;
  @Autowired LedgerStore ledger;
  @Autowired CreditLeg creditLeg;
  @Autowired DatabaseClient db;
  @Autowired JsonMapper json;

  CreditFixtures fixtures;

  @BeforeEach
  void owner() {
    fixtures = new CreditFixtures(users, accounts, deposits, transfers, db);
  }

  @Test
  void severalCreditsToOnePayeeInOneBatchEachGetTheirOwnEntryRunningBalanceStatusAndEvent() {
    List<UUID> payers =
        List.of(fixtures.account(10_000), fixtures.account(10_000), fixtures.account(10_000));
    UUID payee = fixtures.account(1_000);
    long[] amounts = {100, 250, 40, 700, 5};
    List<Transfer> accepted = new ArrayList<>();
    for (int i = 0; i < amounts.length; i++) {
      accepted.add(fixtures.transfer(payers.get(i % payers.size()), payee, amounts[i]));
    }
    // Messages in an order that is neither creation nor id order: entries must follow it.
    List<Transfer> messages =
        List.of(
            accepted.get(3), accepted.get(0), accepted.get(4), accepted.get(1), accepted.get(2));

    creditLeg
        .applyAll(deliveries(messages))
        .as(StepVerifier::create)
        .expectNext(List.of(COMPLETED, COMPLETED, COMPLETED, COMPLETED, COMPLETED))
        .verifyComplete();

    assertThat(fixtures.balance(payee)).isEqualTo(1_000 + 1_095);
    List<EntryRow> credits =
        fixtures.entries(payee).stream()
            .skip(1) // the deposit
            .toList();
    assertThat(credits)
        .extracting(EntryRow::transferId)
        .containsExactlyElementsOf(messages.stream().map(Transfer::id).toList());
    assertThat(credits)
        .extracting(EntryRow::balanceAfter)
        .containsExactly(1_700L, 1_800L, 1_805L, 2_055L, 2_095L);
    assertThat(credits).extracting(EntryRow::direction).containsOnly("CREDIT");
    assertThat(messages)
        .allSatisfy(
            transfer ->
                assertThat(fixtures.find(transfer.id()).status())
                    .isEqualTo(TransferStatus.COMPLETED));
    assertThat(fixtures.events("transfer.completed", payee))
        .containsExactlyElementsOf(messages.stream().map(Transfer::id).toList());
    assertThat(journalsOf(messages)).isEqualTo(2L * messages.size());
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void aFrozenPayeeIsRefundedTransferByTransferWhileAnActivePayeeInTheSameBatchIsCredited() {
    UUID payer = fixtures.account(10_000);
    UUID active = fixtures.account(0);
    UUID frozen = fixtures.account(0);
    List<Transfer> messages =
        List.of(
            fixtures.transfer(payer, active, 100),
            fixtures.transfer(payer, frozen, 200),
            fixtures.transfer(payer, active, 300),
            fixtures.transfer(payer, frozen, 400));
    accounts
        .changeStatus(frozen, AccountStatus.ACTIVE, AccountStatus.FROZEN)
        .as(StepVerifier::create)
        .expectNextCount(1)
        .verifyComplete();

    creditLeg
        .applyAll(deliveries(messages))
        .as(StepVerifier::create)
        .expectNext(List.of(COMPLETED, REFUNDED, COMPLETED, REFUNDED))
        .verifyComplete();

    assertThat(fixtures.balance(active)).isEqualTo(400);
    assertThat(fixtures.balance(frozen)).isZero();
    assertThat(fixtures.balance(payer)).isEqualTo(10_000 - 400);
    assertThat(fixtures.entries(active))
        .extracting(EntryRow::balanceAfter)
        .containsExactly(100L, 400L);
    assertThat(fixtures.entries(frozen)).isEmpty();
    // The payer's side: the deposit, four debits at accept, then one refund per refused transfer.
    assertThat(fixtures.entries(payer))
        .extracting(EntryRow::balanceAfter)
        .containsExactly(10_000L, 9_900L, 9_700L, 9_400L, 9_000L, 9_200L, 9_600L);
    for (Transfer refused : List.of(messages.get(1), messages.get(3))) {
      Transfer failed = fixtures.find(refused.id());
      assertThat(failed.status()).isEqualTo(TransferStatus.FAILED);
      assertThat(failed.failureReason()).isEqualTo("recipient account is frozen");
    }
    assertThat(fixtures.events("transfer.completed", active))
        .containsExactly(messages.get(0).id(), messages.get(2).id());
    assertThat(fixtures.events("transfer.failed", frozen))
        .containsExactly(messages.get(1).id(), messages.get(3).id());
    assertThat(fixtures.events("transfer.completed", frozen)).isEmpty();
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void theSameEventTwiceInOneBatchAndTheWholeBatchRedeliveredCreditOnce() {
    UUID payer = fixtures.account(1_000);
    UUID payee = fixtures.account(0);
    Transfer first = fixtures.transfer(payer, payee, 300);
    Transfer second = fixtures.transfer(payer, payee, 200);
    List<Delivery> batch = List.of(delivery(first), delivery(first), delivery(second));

    creditLeg
        .applyAll(batch)
        .as(StepVerifier::create)
        .expectNext(List.of(COMPLETED, DUPLICATE, COMPLETED))
        .verifyComplete();
    creditLeg
        .applyAll(batch)
        .as(StepVerifier::create)
        .expectNext(List.of(DUPLICATE, DUPLICATE, DUPLICATE))
        .verifyComplete();

    assertThat(fixtures.balance(payee)).isEqualTo(500);
    assertThat(fixtures.balance(payer)).isEqualTo(500);
    assertThat(fixtures.entries(payee))
        .extracting(EntryRow::balanceAfter)
        .containsExactly(300L, 500L);
    assertThat(fixtures.events("transfer.completed", payee))
        .containsExactly(first.id(), second.id());
    LedgerAssertions.assertBalanced(ledger);
  }

  @Test
  void twoEventsNamingOneTransferInOneBatchSettleItOnce() {
    UUID payer = fixtures.account(1_000);
    UUID payee = fixtures.account(0);
    Transfer pending = fixtures.transfer(payer, payee, 300);
    // Another event id for the same transfer: the inbox lets both through, the transfer's status
    // stops the second.
    ObjectNode other = (ObjectNode) json.readTree(fixtures.pendingMessage(pending));
    other.put("eventId", Ids.newId().toString());
    List<Delivery> batch =
        List.of(delivery(pending), creditLeg.decode(json.writeValueAsString(other)));

    creditLeg
        .applyAll(batch)
        .as(StepVerifier::create)
        .expectNext(List.of(COMPLETED, ALREADY_SETTLED))
        .verifyComplete();

    assertThat(fixtures.balance(payee)).isEqualTo(300);
    assertThat(fixtures.events("transfer.completed", payee)).containsExactly(pending.id());
  }

  @Test
  void aSingleMessageGoesThroughTheBatchPathAsABatchOfOne() {
    UUID payer = fixtures.account(1_000);
    UUID payee = fixtures.account(50);
    Transfer pending = fixtures.transfer(payer, payee, 300);

    creditLeg
        .apply(fixtures.pendingMessage(pending))
        .as(StepVerifier::create)
        .expectNext(COMPLETED)
        .verifyComplete();

    assertThat(fixtures.entries(payee))
        .extracting(EntryRow::balanceAfter)
        .containsExactly(50L, 350L);
    assertThat(fixtures.events("transfer.completed", payee)).containsExactly(pending.id());
  }

  /**
   * The pass sequences what it reads and what it settles in one transaction: each transfer's
   * pending event before its terminal one, and the terminal events never go round the outbox and
   * Kafka a second time. A redelivered batch changes nothing in the log.
   */
  @Test
  void oneBatchSequencesEveryPendingEventBeforeItsTerminalEventWithoutASecondOutboxRow() {
    UUID payer = fixtures.account(10_000);
    UUID payee = fixtures.account(0);
    List<Transfer> messages =
        List.of(
            fixtures.transfer(payer, payee, 10),
            fixtures.transfer(payer, payee, 20),
            fixtures.transfer(payer, payee, 30));

    creditLeg
        .applyAll(deliveries(messages))
        .as(StepVerifier::create)
        .expectNext(List.of(COMPLETED, COMPLETED, COMPLETED))
        .verifyComplete();
    creditLeg
        .applyAll(deliveries(messages))
        .as(StepVerifier::create)
        .expectNext(List.of(DUPLICATE, DUPLICATE, DUPLICATE))
        .verifyComplete();

    for (Transfer transfer : messages) {
      assertThat(sequenced(transfer.id()))
          .as("the stream of %s", transfer.id())
          .containsExactly("transfer.pending", "transfer.completed");
    }
    assertThat(fixtures.events("transfer.pending", payee))
        .containsExactlyElementsOf(messages.stream().map(Transfer::id).toList());
    assertThat(outboxRows("transfer.completed", messages)).isZero();
  }

  /** The event types of one resource in the event log, in stream order. */
  private List<String> sequenced(UUID resource) {
    return db.sql("SELECT event_type FROM event_log WHERE resource_id = :id ORDER BY seq")
        .bind("id", resource)
        .map(row -> row.get("event_type", String.class))
        .all()
        .collectList()
        .block(PATIENCE);
  }

  private long outboxRows(String type, List<Transfer> transfers) {
    return db.sql(
            "SELECT count(*) AS n FROM outbox WHERE event_type = :type"
                + " AND payload LIKE ANY(:transfers)")
        .bind("type", type)
        .bind("transfers", transfers.stream().map(t -> "%" + t.id() + "%").toArray(String[]::new))
        .map(row -> row.get("n", Long.class))
        .one()
        .block(PATIENCE);
  }

  private List<Delivery> deliveries(List<Transfer> messages) {
    return messages.stream().map(this::delivery).toList();
  }

  private Delivery delivery(Transfer pending) {
    return creditLeg.decode(fixtures.pendingMessage(pending));
  }

  private long journalsOf(List<Transfer> settled) {
    return db.sql("SELECT count(*) AS n FROM journal WHERE movement_id = ANY(:ids)")
        .bind("ids", settled.stream().map(Transfer::id).toArray(UUID[]::new))
        .map(row -> row.get("n", Long.class))
        .one()
        .block(PATIENCE);
  }
}
