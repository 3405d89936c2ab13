package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.Parties;
import java.time.Duration;
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

  private org.openqa.selenium.WebElement row(UUID transfer) {
    return console.waitFor(By.cssSelector("#search-results tr[data-id='" + transfer + "']"));
  }
}
