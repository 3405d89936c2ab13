package io.paystream.persistence.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferLimits;
import io.paystream.domain.TransferRequest;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.ledger.SequencedEntries.SequencedEntry;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The recent-entries updater reads a movement's entries once per money event, so that read must
 * cost the same whatever the size of the ledger: found through the movement's index, never by
 * walking accounts or entries.
 */
@SpringBootTest(classes = PersistenceTestApplication.class)
class SequencedEntriesIntegrationTest {

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
  @Autowired SequencedEntries entries;

  @Test
  void aSettledTransfersMovementHasThePayersDebitThenThePayeesCreditAndNoSystemEntry() {
    UUID owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    Account payer = accounts.open(owner, EUR).block(PATIENCE);
    Account payee = accounts.open(owner, EUR).block(PATIENCE);
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
    Transfer transfer =
        transfers
            .accept(
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(300, EUR),
                    "rent",
                    Metadata.NONE,
                    null,
                    TransferLimits.none()))
            .as(transaction::transactional)
            .block(PATIENCE);

    List<SequencedEntry> pending = entries.ofMovement(transfer.id()).collectList().block(PATIENCE);
    assertThat(pending)
        .extracting(sequenced -> sequenced.entry().accountId())
        .as("while pending, only the payer's debit is a customer entry (the other is TRANSIT)")
        .containsExactly(payer.id());
    assertThat(pending.get(0).entry().balanceAfter()).isEqualTo(700L);

    settle(transfer.id()).block(PATIENCE);
    List<SequencedEntry> settled = entries.ofMovement(transfer.id()).collectList().block(PATIENCE);
    assertThat(settled)
        .extracting(sequenced -> sequenced.entry().accountId())
        .containsExactly(payer.id(), payee.id());
    assertThat(settled).extracting(SequencedEntry::seq).isSorted();
    assertThat(settled.get(1).entry().balanceAfter()).isEqualTo(300L);
  }

  @Test
  void aMovementsEntriesAreFoundByItsIndexWithoutScanningEntriesOrAccounts() {
    String sql = SequencedEntries.OF_MOVEMENT.replace(":movement", "'" + Ids.newId() + "'");
    List<String> plan =
        db.sql("EXPLAIN " + sql)
            .map(row -> row.get(0, String.class))
            .all()
            .collectList()
            .block(PATIENCE);

    assertThat(String.join("\n", plan))
        .contains("entry_movement_idx")
        .doesNotContain("Seq Scan on entry")
        .doesNotContain("Seq Scan on account");
  }

  @Test
  void severalMovementsAreReadInOneStatementInSeqOrder() {
    UUID owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    Account payer = accounts.open(owner, EUR).block(PATIENCE);
    Account payee = accounts.open(owner, EUR).block(PATIENCE);
    deposits
        .deposit(owner, false, payer.id(), Money.of(1_000, EUR), null, Metadata.NONE)
        .as(transaction::transactional)
        .block(PATIENCE);
    Transfer first =
        transfers
            .accept(
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(300, EUR),
                    "one",
                    Metadata.NONE,
                    null,
                    TransferLimits.none()))
            .as(transaction::transactional)
            .block(PATIENCE);
    Transfer second =
        transfers
            .accept(
                new TransferRequest(
                    owner,
                    false,
                    payer.id(),
                    payee.id(),
                    Money.of(200, EUR),
                    "two",
                    Metadata.NONE,
                    null,
                    TransferLimits.none()))
            .as(transaction::transactional)
            .block(PATIENCE);
    settle(first.id()).block(PATIENCE);

    List<SequencedEntry> both =
        entries.ofMovements(List.of(second.id(), first.id())).collectList().block(PATIENCE);

    assertThat(both).extracting(SequencedEntry::seq).isSorted();
    assertThat(both)
        .extracting(
            sequenced -> sequenced.entry().transferId() + "/" + sequenced.entry().balanceAfter())
        .containsExactly(first.id() + "/700", second.id() + "/500", first.id() + "/300");
    assertThat(entries.ofMovements(List.of()).collectList().block(PATIENCE)).isEmpty();
  }

  @Test
  void severalMovementsAreFoundByTheIndexWithoutScanningEntriesOrAccounts() {
    String sql =
        SequencedEntries.OF_MOVEMENTS.replace(
            ":movements", "ARRAY['" + Ids.newId() + "', '" + Ids.newId() + "']::uuid[]");
    List<String> plan =
        db.sql("EXPLAIN " + sql)
            .map(row -> row.get(0, String.class))
            .all()
            .collectList()
            .block(PATIENCE);

    assertThat(String.join("\n", plan))
        .contains("entry_movement_idx")
        .doesNotContain("Seq Scan on entry")
        .doesNotContain("Seq Scan on account");
  }

  /** One transfer's credit leg, in its own transaction, as the consumer runs it. */
  private reactor.core.publisher.Mono<Settled> settle(UUID transferId) {
    return settlement
        .settle(List.of(transferId))
        .map(settled -> settled.outcomes().get(0))
        .as(transaction::transactional);
  }
}
