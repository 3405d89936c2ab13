package io.paystream.api.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** History item 4: cursors stay exact while new entries keep arriving during a walk. */
class HistoryCursorIntegrationTest extends ApiIntegrationTest {

  private static final int ENTRIES_BEFORE_WALK = 7;
  private static final int PAGE_SIZE = 2;

  @Test
  void aWalkSeesEveryEarlierEntryExactlyOnceWhileDepositsLandBetweenItsPages() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    for (int amount = 1; amount <= ENTRIES_BEFORE_WALK; amount++) {
      client.deposit(owner, account, amount, "EUR");
    }
    String path = "/api/v1/accounts/" + account + "/transactions?limit=" + PAGE_SIZE;

    List<Long> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = client.get(owner, path + (cursor == null ? "" : "&cursor=" + cursor));
      page.get("items").valueStream().forEach(entry -> walked.add(entry.get("amount").asLong()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      client.deposit(owner, account, 1_000 + pages, "EUR");
      pages++;
    } while (cursor != null && pages < 20);

    assertThat(walked).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
  }
}
