package io.paystream.api.history;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, History and statements: an account's ledger entries, paged newest first. */
class HistoryIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  /** The contract's length of the recent list. */
  private static final int RECENT_ENTRIES = 20;

  private static final List<String> ENTRY_MEMBERS =
      List.of(
          "id",
          "transferId",
          "accountId",
          "direction",
          "amount",
          "currency",
          "balanceAfter",
          "counterpartyAccountId",
          "description",
          "createdAt");

  /**
   * Alice's EUR account after: a deposit of 10 000, transfers to Bob of 1 000 and 2 000, one from
   * Bob of 500, one to Bob of 300. Built once; every test only reads it.
   */
  private record History(
      User alice, UUID aliceEur, User bob, UUID bobEur, UUID deposit, List<UUID> transfers) {}

  private static History history;

  /** Alice's entries, oldest first: direction, amount, balance after. */
  private static final List<String> ALICE_ENTRIES_OLDEST_FIRST =
      List.of(
          "CREDIT 10000 10000",
          "DEBIT 1000 9000",
          "DEBIT 2000 7000",
          "CREDIT 500 7500",
          "DEBIT 300 7200");

  @BeforeEach
  void buildHistoryOnce() {
    if (history != null) {
      return;
    }
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID aliceEur = client.openAccount(alice, "EUR");
    UUID bobEur = client.openAccount(bob, "EUR");
    UUID deposit =
        UUID.fromString(
            PaystreamClient.json(
                    http.post()
                        .uri("/api/v1/deposits")
                        .headers(h -> h.setBearerAuth(alice.token()))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of(
                                "accountId",
                                aliceEur.toString(),
                                "amount",
                                10_000,
                                "currency",
                                "EUR",
                                "reference",
                                "salary"))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody()
                        .returnResult())
                .get("id")
                .asString());
    List<UUID> transfers = new ArrayList<>();
    transfers.add(settled(alice, aliceEur, bobEur, 1_000));
    transfers.add(settled(alice, aliceEur, bobEur, 2_000));
    transfers.add(settled(bob, bobEur, aliceEur, 500));
    transfers.add(settled(alice, aliceEur, bobEur, 300));
    history = new History(alice, aliceEur, bob, bobEur, deposit, List.copyOf(transfers));
  }

  @Test
  void pagesOfTwoWalkEveryEntryNewestFirstWithoutRepeatOrGap() {
    List<JsonNode> walked = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          client.get(
              history.alice,
              transactions(history.aliceEur)
                  + "?limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      page.get("items").valueStream().forEach(walked::add);
      pageSizes.add(page.get("items").size());
      assertThat(page.has("nextCursor")).as("nextCursor member in %s", page).isTrue();
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      assertThat(pageSizes).as("pages walked").hasSizeLessThanOrEqualTo(10);
    } while (cursor != null);

    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(walked).extracting(e -> e.get("id").asString()).doesNotHaveDuplicates();
    assertThat(walked)
        .extracting(HistoryIntegrationTest::summary)
        .containsExactlyElementsOf(reversed(ALICE_ENTRIES_OLDEST_FIRST));
    JsonNode everything = client.get(history.alice, transactions(history.aliceEur) + "?limit=100");
    assertThat(everything.get("nextCursor").isNull()).isTrue();
    assertThat(walked).isEqualTo(everything.get("items").valueStream().toList());
    assertThat(client.get(history.alice, transactions(history.aliceEur)).get("items").size())
        .as("default limit and month")
        .isEqualTo(ALICE_ENTRIES_OLDEST_FIRST.size());
  }

  @Test
  void everyEntryHasTheContractsMembersAndBalancesChainFromOldestToNewest() {
    List<JsonNode> entries =
        client
            .get(history.alice, transactions(history.aliceEur) + "?limit=100")
            .get("items")
            .valueStream()
            .toList();
    Set<String> movements = new HashSet<>();
    movements.add(history.deposit.toString());
    history.transfers.forEach(t -> movements.add(t.toString()));

    Instant newer = Instant.MAX;
    for (JsonNode entry : entries) {
      assertThat(entry.propertyNames())
          .as("members of %s", entry)
          .containsExactlyInAnyOrderElementsOf(ENTRY_MEMBERS);
      UUID.fromString(entry.get("id").asString());
      if (entry.get("transferId").asString().equals(history.deposit.toString())) {
        assertThat(entry.get("counterpartyAccountId").isNull())
            .as("a deposit has no counterparty a customer could see")
            .isTrue();
      } else {
        UUID.fromString(entry.get("counterpartyAccountId").asString());
      }
      assertThat(movements).contains(entry.get("transferId").asString());
      assertThat(entry.get("accountId").asString()).isEqualTo(history.aliceEur.toString());
      assertThat(entry.get("direction").asString()).isIn("DEBIT", "CREDIT");
      assertThat(entry.get("amount").isIntegralNumber()).isTrue();
      assertThat(entry.get("balanceAfter").isIntegralNumber()).isTrue();
      assertThat(entry.get("currency").asString()).isEqualTo("EUR");
      String createdAt = entry.get("createdAt").asString();
      assertThat(createdAt).as("RFC 3339 UTC").endsWith("Z");
      Instant at = Instant.parse(createdAt);
      assertThat(at).isBeforeOrEqualTo(newer);
      newer = at;
    }
    long balance = 0;
    for (JsonNode entry : reversed(entries)) {
      long amount = entry.get("amount").asLong();
      balance += "CREDIT".equals(entry.get("direction").asString()) ? amount : -amount;
      assertThat(entry.get("balanceAfter").asLong())
          .as("balance after %s", entry)
          .isEqualTo(balance);
    }
    assertThat(balance).isEqualTo(client.balance(history.alice, history.aliceEur));
    assertThat(entries.get(entries.size() - 1).get("description").asString()).isEqualTo("salary");
    assertThat(entries.get(0).get("description").asString()).isEqualTo("test transfer");
  }

  @Test
  void transferEntriesNameTheOtherCustomersAccountAsCounterparty() {
    List<JsonNode> entries =
        client
            .get(history.alice, transactions(history.aliceEur) + "?limit=100")
            .get("items")
            .valueStream()
            .toList();

    List<String> transferCounterparties =
        entries.stream()
            .filter(e -> !e.get("transferId").asString().equals(history.deposit.toString()))
            .map(e -> e.get("counterpartyAccountId").asString())
            .distinct()
            .toList();

    assertThat(transferCounterparties).containsExactly(history.bobEur.toString());
  }

  @Test
  void theOtherPartySeesTheSameTransfersFromItsSide() {
    List<JsonNode> bobs =
        client
            .get(history.bob, transactions(history.bobEur) + "?limit=100")
            .get("items")
            .valueStream()
            .toList();

    assertThat(bobs)
        .extracting(HistoryIntegrationTest::summary)
        .containsExactly(
            "CREDIT 300 2800", "DEBIT 500 2500", "CREDIT 2000 3000", "CREDIT 1000 1000");
    assertThat(bobs)
        .extracting(e -> e.get("transferId").asString())
        .containsExactlyElementsOf(
            reversed(history.transfers).stream().map(UUID::toString).toList());
  }

  @Test
  void aPastMonthHasNoEntriesAndTheCurrentMonthHasThemAll() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);

    JsonNode past =
        client.get(history.alice, transactions(history.aliceEur) + "?month=" + now.minusMonths(1));
    JsonNode longAgo = client.get(history.alice, transactions(history.aliceEur) + "?month=2000-01");
    JsonNode current =
        client.get(history.alice, transactions(history.aliceEur) + "?month=" + now + "&limit=100");

    assertThat(past.get("items").isEmpty()).isTrue();
    assertThat(past.get("nextCursor").isNull()).isTrue();
    assertThat(longAgo.get("items").isEmpty()).isTrue();
    assertThat(current.get("items").size()).isEqualTo(ALICE_ENTRIES_OLDEST_FIRST.size());
  }

  @ParameterizedTest(name = "?{0}")
  @ValueSource(
      strings = {
        "month=2024-13",
        "month=2024-00",
        "month=2024-1",
        "month=24-01",
        "month=2024-01-01",
        "month=abc",
        "month=",
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=ten",
        "limit=2.5",
        "cursor=!!!",
        "cursor=Zm9v",
        "cursor=",
        "cursor=MToyOm5vdC1hLXV1aWQ",
        // Well formed but unsigned, at a time PostgreSQL cannot represent: was a 500.
        "cursor=OTk5OTk5OTk5OTk5OTk6MDowMTkzYTNiNC01YzZkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmI"
      })
  void aBadMonthLimitOrCursorIsRefusedWithValidationFailed(String query) {
    EntityExchangeResult<byte[]> result =
        http.get()
            .uri(transactions(history.aliceEur) + "?" + query)
            .headers(h -> h.setBearerAuth(history.alice.token()))
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
    assertThat(errorFields(problem)).containsExactly(query.substring(0, query.indexOf('=')));
  }

  @Test
  void recentListsTheTwentyNewestEntriesAndSeesANewOneAtOnce() {
    User owner = history.alice;
    UUID account = client.openAccount(owner, "EUR");
    for (int amount = 1; amount <= RECENT_ENTRIES + 2; amount++) {
      client.deposit(owner, account, amount, "EUR");
    }

    List<JsonNode> recent =
        client.get(owner, transactions(account) + "/recent").get("items").valueStream().toList();
    List<JsonNode> all =
        client.get(owner, transactions(account) + "?limit=100").get("items").valueStream().toList();

    assertThat(all).hasSize(RECENT_ENTRIES + 2);
    assertThat(recent).isEqualTo(all.subList(0, RECENT_ENTRIES));
    assertThat(recent.get(0).get("amount").asLong()).isEqualTo(RECENT_ENTRIES + 2);

    client.deposit(owner, account, 1_000, "EUR");
    List<JsonNode> after =
        client.get(owner, transactions(account) + "/recent").get("items").valueStream().toList();
    assertThat(after).hasSize(RECENT_ENTRIES);
    assertThat(after.get(0).get("amount").asLong()).isEqualTo(1_000);
    assertThat(after.get(0).get("balanceAfter").asLong()).isEqualTo(client.balance(owner, account));
    assertThat(after.subList(1, RECENT_ENTRIES)).isEqualTo(recent.subList(0, RECENT_ENTRIES - 1));
  }

  @Test
  void recentOfAnAccountWithFewEntriesListsThemAll() {
    List<JsonNode> recent =
        client
            .get(history.alice, transactions(history.aliceEur) + "/recent")
            .get("items")
            .valueStream()
            .toList();

    assertThat(recent)
        .extracting(HistoryIntegrationTest::summary)
        .containsExactlyElementsOf(reversed(ALICE_ENTRIES_OLDEST_FIRST));
  }

  @Test
  void aStrangerAndAnUnknownAccountGetNotFound() {
    User stranger = history.bob;
    UUID unknown = UUID.randomUUID();
    // The owner's reads first, so that the stranger's are decided from the remembered owner.
    client.get(history.alice, transactions(history.aliceEur) + "/recent");
    client.get(history.alice, transactions(history.aliceEur));

    for (String path :
        List.of(
            transactions(history.aliceEur),
            transactions(history.aliceEur) + "/recent",
            transactions(unknown),
            transactions(unknown) + "/recent")) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri(path)
              .headers(h -> h.setBearerAuth(stranger.token()))
              .exchange()
              .expectBody()
              .returnResult();
      JsonNode problem = assertProblem(result, HttpStatus.NOT_FOUND, "account_not_found");
      assertThat(problem.get("detail").asString()).doesNotContain("salary", "EUR");
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private UUID settled(User payer, UUID from, UUID to, long amount) {
    UUID transfer = client.acceptedTransfer(payer, from, to, amount, "EUR");
    assertThat(client.awaitTerminal(payer, transfer, SETTLE_TIMEOUT).get("status").asString())
        .isEqualTo("COMPLETED");
    return transfer;
  }

  private static String transactions(UUID account) {
    return "/api/v1/accounts/" + account + "/transactions";
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static String summary(JsonNode entry) {
    return entry.get("direction").asString()
        + " "
        + entry.get("amount").asLong()
        + " "
        + entry.get("balanceAfter").asLong();
  }
}
