package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An account's history in the wallet: the month's entries a page at a time, "More" following the
 * server's cursor to the end, and the month's statement offered as a signed link that downloads
 * without a token.
 */
class WalletHistoryIntegrationTest extends BrowserIntegrationTest {

  /** One more than the wallet's page of 20, and a bit: the second page is short. */
  private static final int DEPOSITS = 23;

  @Test
  void moreFollowsTheCursorToTheEndAndTheStatementLinkDownloads() {
    User customer = client.newCustomer();
    UUID account = client.openAccount(customer, "EUR");
    for (int i = 0; i < DEPOSITS; i++) {
      client.deposit(customer, account, 100, "EUR");
    }
    WalletPage wallet = new WalletPage(browser).open(url("/app/"));
    wallet.logIn(customer.email(), PaystreamClient.PASSWORD);
    wallet.goTo("history");

    WebDriverWait wait = new WebDriverWait(browser.driver(), WalletPage.WAIT);
    By entries = By.cssSelector("#history-list li.entry");
    wait.until(ExpectedConditions.numberOfElementsToBe(entries, 20));
    wallet.click("history-more");
    wait.until(ExpectedConditions.numberOfElementsToBe(entries, DEPOSITS));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("history-more")));
    assertThat(browser.driver().findElements(By.cssSelector("#recent-list li.entry"))).hasSize(20);

    wallet.click("statement-submit");
    String href = browser.waitFor(By.id("statement-link")).getAttribute("href");
    assertThat(href).startsWith(url("/api/v1/statements/download?"));
    http.get()
        .uri(URI.create(href))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType("application/pdf");
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
