package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The operator finds a transfer by the payer's email and by its status. */
class ConsoleSearchIntegrationTest extends ConsoleIntegrationTest {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aTransferIsFoundByThePayersEmailAndByStatus() {
    Parties parties = parties();
    UUID transfer = transfer(parties, 4_200, "concert tickets");
    client.awaitTerminal(parties.alice(), transfer, SAGA_TIMEOUT);
    console.logIn("#search");

    console.type(By.id("search-email"), parties.alice().email());
    console.click(By.id("search-submit"));
    assertThat(row(transfer).getText()).contains("42.00 EUR").contains("concert tickets");

    new Select(console.waitFor(By.id("search-status"))).selectByValue("COMPLETED");
    console.click(By.id("search-submit"));
    assertThat(row(transfer).getText()).contains("COMPLETED");

    new Select(console.waitFor(By.id("search-status"))).selectByValue("FAILED");
    console.click(By.id("search-submit"));
    console.waitFor(By.cssSelector("#search-results .paged"));
    console.waitForText(By.cssSelector("#search-results p.muted"), "Nothing found.");
    assertThat(console.all(By.cssSelector("#search-results tr[data-id='" + transfer + "']")))
        .as("a COMPLETED transfer is not among the FAILED ones")
        .isEmpty();
    assertNoConsoleErrors();
  }

  @Test
  void aHoldIsFoundAsAHoldAndItsAccountShowsWhatIsAvailable() {
    Parties parties = parties();
    UUID hold =
        UUID.fromString(
            PaystreamClient.json(
                    client.moneyPost(
                        parties.alice(),
                        "/api/v1/holds",
                        UUID.randomUUID().toString(),
                        Map.of(
                            "fromAccountId",
                            parties.aliceAccount().toString(),
                            "toAccountId",
                            parties.bobAccount().toString(),
                            "amount",
                            1_500,
                            "currency",
                            "EUR",
                            "description",
                            "hotel deposit")))
                .get("id")
                .asString());
    long balance = client.balance(parties.alice(), parties.aliceAccount());
    console.logIn("#search");

    new Select(console.waitFor(By.id("search-kind"))).selectByValue("holds");
    new Select(console.waitFor(By.id("search-status"))).selectByValue("HELD");
    console.type(By.id("search-email"), parties.alice().email());
    console.click(By.id("search-submit"));
    assertThat(row(hold).getText())
        .contains("HELD")
        .contains("15.00 EUR")
        .contains("hotel deposit");

    console.go("#account/" + parties.aliceAccount());
    String available =
        String.format(Locale.ROOT, "%,.2f EUR", BigDecimal.valueOf(balance - 1_500, 2));
    console.waitForText(By.id("account-available"), available);
    assertNoConsoleErrors();
  }

  private org.openqa.selenium.WebElement row(UUID transfer) {
    return console.waitFor(By.cssSelector("#search-results tr[data-id='" + transfer + "']"));
  }
}
