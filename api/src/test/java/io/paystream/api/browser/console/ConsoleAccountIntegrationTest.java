package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.Parties;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The account page: the owner masked, the balance and entries; a freeze needs a typed reason, and
 * the audit log shows the freeze with it.
 */
class ConsoleAccountIntegrationTest extends ConsoleIntegrationTest {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void anOperatorFreezesThePayeeWithAReasonAndTheAuditLogShowsIt() {
    Parties parties = parties();
    UUID transfer = transfer(parties, 2_500, "for the bike");
    client.awaitTerminal(parties.alice(), transfer, SAGA_TIMEOUT);
    UUID payee = parties.bobAccount();
    console.logIn("#account/" + payee);

    console.waitForText(By.id("account-status"), "ACTIVE");
    assertThat(console.waitFor(By.id("account-balance")).getText()).isEqualTo("25.00 EUR");
    String email = parties.bob().email();
    assertThat(console.waitFor(By.id("account-owner-email")).getText())
        .as("the owner's email is masked")
        .isEqualTo(email.charAt(0) + "***@" + email.substring(email.indexOf('@') + 1))
        .doesNotContain(email.substring(1, email.indexOf('@')));
    console.waitForText(By.cssSelector("#account-entries tbody tr"), "for the bike");

    // Without a reason the button is disabled, and even a forced click sends nothing.
    WebElement freeze = console.waitFor(By.id("account-freeze"));
    assertThat(freeze.isEnabled()).isFalse();
    console.type(By.id("account-reason"), "   ");
    assertThat(freeze.isEnabled()).as("blank is no reason").isFalse();
    ((JavascriptExecutor) browser.driver())
        .executeScript("arguments[0].disabled = false; arguments[0].click();", freeze);
    console.waitForText(By.id("account-action-note"), "A reason is required.");
    assertThat(client.account(parties.bob(), payee).get("status").asString())
        .as("no freeze was sent without a reason")
        .isEqualTo("ACTIVE");

    String reason = "chargeback investigation " + UUID.randomUUID();
    console.type(By.id("account-reason"), reason);
    browser.screenshot("console-account");
    console.click(By.id("account-freeze"));
    console.waitForText(By.id("account-status"), "FROZEN");
    assertThat(client.account(parties.bob(), payee).get("status").asString()).isEqualTo("FROZEN");
    assertThat(console.waitFor(By.id("account-unfreeze")).isEnabled())
        .as("the next action asks for a reason of its own")
        .isFalse();

    console.go("#audit");
    console.type(By.id("audit-type"), "account.frozen");
    console.click(By.id("audit-submit"));
    WebElement event = console.waitForText(By.cssSelector("#audit-results tr"), reason);
    assertThat(event.getText()).contains("account.frozen").contains(payee.toString());
    assertNoConsoleErrors();
  }
}
