package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * Whatever a customer types is shown as text: a description that is HTML stays characters on the
 * screen, in the transfer and in the history, and never becomes an element or runs.
 */
class WalletEscapingIntegrationTest extends BrowserIntegrationTest {

  private static final String INJECTED = "<img src=x onerror=alert(1)>";

  @Test
  void anHtmlDescriptionShowsAsTextInTheTransferAndTheHistory() {
    User payer = client.newCustomer();
    UUID account = client.openAccount(payer, "EUR");
    client.deposit(payer, account, 5_000, "EUR");
    User payee = client.newCustomer();
    UUID payeeAccount = client.openAccount(payee, "EUR");
    WalletPage wallet = new WalletPage(browser).open(url("/app/"));
    wallet.logIn(payer.email(), PaystreamClient.PASSWORD);

    wallet.fillSend(account, payeeAccount, "5.00", INJECTED);
    wallet.click("send-submit");
    wallet.awaitTransferStatus("COMPLETED");
    assertThat(wallet.element("transfer-description").getText()).isEqualTo(INJECTED);
    assertNoImageAndNoAlert();

    wallet.goTo("history");
    browser.waitForText(By.id("history-list"), INJECTED);
    browser.waitForText(By.id("recent-list"), INJECTED);
    assertThat(
            browser
                .driver()
                .findElements(By.cssSelector("#history-list .entry-description"))
                .stream()
                .map(description -> description.getText())
                .toList())
        .contains(INJECTED);
    assertNoImageAndNoAlert();
    browser.screenshot("wallet-history-desktop");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private void assertNoImageAndNoAlert() {
    assertThat(browser.driver().findElements(By.cssSelector("#view img"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }
}
