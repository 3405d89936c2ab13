package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.Browser;
import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * Both pages at once, each in its own browser, as two people use them: a customer sends money in
 * the wallet; an operator watching the console's live feed sees the transfer arrive, freezes the
 * payee's account with a reason; the customer's next transfer to that account is refused, and the
 * wallet says so. The console is driven by the element ids its own tests use.
 */
class OperatorAndCustomerIntegrationTest extends BrowserIntegrationTest {

  private Browser operator;

  @AfterEach
  void closeOperatorBrowser() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theOperatorSeesTheTransferLiveFreezesThePayeeAndTheNextTransferIsRefusedInTheWallet() {
    User payer = client.newCustomer();
    UUID payerAccount = client.openAccount(payer, "EUR");
    client.deposit(payer, payerAccount, 10_000, "EUR");
    User payee = client.newCustomer();
    UUID payeeAccount = client.openAccount(payee, "EUR");

    operator = new Browser();
    operator.open(url("/console/#feed"));
    operator.waitFor(By.id("login-email")).sendKeys(OPS_EMAIL);
    operator.driver().findElement(By.id("login-password")).sendKeys(OPS_PASSWORD);
    operator.driver().findElement(By.id("login-submit")).click();
    operator.waitForText(By.id("feed-state"), "Live");

    WalletPage wallet = new WalletPage(browser.phone()).open(url("/app/"));
    wallet.logIn(payer.email(), PaystreamClient.PASSWORD);
    String description = "journey " + UUID.randomUUID();
    wallet.fillSend(payerAccount, payeeAccount, "12.00", description);
    wallet.click("send-submit");
    wallet.awaitTransferStatus("COMPLETED");

    WebElement completed =
        operator.waitForText(
            By.cssSelector("#feed-list li[data-type='transfer.completed']"), description);
    assertThat(completed.getText()).contains("12.00 EUR");

    ((JavascriptExecutor) operator.driver())
        .executeScript("location.hash = arguments[0];", "#account/" + payeeAccount);
    operator.waitForText(By.id("account-status"), "ACTIVE");
    operator.waitFor(By.id("account-reason")).sendKeys("suspected mule account, case 4711");
    operator.waitFor(By.id("account-freeze")).click();
    operator.waitForText(By.id("account-status"), "FROZEN");

    wallet.fillSend(payerAccount, payeeAccount, "3.00", "after the freeze");
    wallet.click("send-submit");
    browser.waitForText(By.id("send-error"), "frozen or closed");
    browser.screenshot("wallet-refused-frozen-payee-phone");

    assertThat(client.balance(payer, payerAccount))
        .as("only the first transfer moved money")
        .isEqualTo(10_000 - 1_200);
    assertThat(client.balance(payee, payeeAccount)).isEqualTo(1_200);
    MoneyAssertions.assertLedgerBalanced(client, client.ops());
    // Chromium logs every 4xx answer as a console error: the refusal, and nothing else.
    assertThat(browser.consoleErrors())
        .as("wallet console errors")
        .singleElement()
        .asString()
        .endsWith(
            "/api/v1/transfers - Failed to load resource: the server responded with a"
                + " status of 422 (Unprocessable Entity)");
    assertThat(operator.consoleErrors()).as("console console errors").isEmpty();
  }
}
