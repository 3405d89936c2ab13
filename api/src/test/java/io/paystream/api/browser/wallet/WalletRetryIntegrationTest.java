package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * Sending money never pays twice from the wallet: not when the answer is lost and the customer
 * retries, not when the send button is double-clicked. The wallet is loaded through a {@link
 * FaultProxy}, which can lose the API's answers and counts the requests that reached the API.
 */
class WalletRetryIntegrationTest extends BrowserIntegrationTest {

  private static final long FUNDS = 10_000;

  private FaultProxy proxy;
  private User payer;
  private UUID payerAccount;
  private User payee;
  private UUID payeeAccount;

  @BeforeEach
  void customers() {
    proxy = new FaultProxy(port);
    payer = client.newCustomer();
    payerAccount = client.openAccount(payer, "EUR");
    client.deposit(payer, payerAccount, FUNDS, "EUR");
    payee = client.newCustomer();
    payeeAccount = client.openAccount(payee, "EUR");
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void aRetryAfterALostAnswerSendsTheSameKeyAndPaysOnce() {
    WalletPage wallet = walletThroughProxy();
    wallet.fillSend(payerAccount, payeeAccount, "30.00", "Rent share");

    proxy.dropTransferAnswers(true);
    wallet.click("send-submit");
    browser.waitForText(By.id("send-unconfirmed"), "Not confirmed");
    assertThat(proxy.droppedKeys()).as("answers lost on the way back").isNotEmpty();
    assertThat(client.balance(payer, payerAccount))
        .as("the lost answer's transfer was accepted: the money left already")
        .isEqualTo(FUNDS - 3000);

    proxy.dropTransferAnswers(false);
    wallet.click("send-retry");
    wallet.awaitTransferStatus("COMPLETED");

    List<String> keys = proxy.transferKeys();
    assertThat(keys).as("the first try and the retry").hasSizeGreaterThanOrEqualTo(2);
    assertThat(keys).as("one Idempotency-Key for the whole attempt").containsOnly(keys.get(0));
    assertPaidOnce(3000);
    // The only console errors allowed are the failed loads the proxy caused.
    assertThat(browser.consoleErrors())
        .allSatisfy(
            line -> assertThat(line).contains("/api/v1/transfers").contains("ERR_EMPTY_RESPONSE"));
  }

  @Test
  void aDoubleClickOnSendSendsOneRequestAndPaysOnce() {
    WalletPage wallet = walletThroughProxy();
    wallet.fillSend(payerAccount, payeeAccount, "12.00", "Coffee beans");

    new Actions(browser.driver()).doubleClick(wallet.element("send-submit")).perform();
    wallet.awaitTransferStatus("COMPLETED");

    assertThat(proxy.transferKeys()).as("requests that reached the API").hasSize(1);
    assertPaidOnce(1200);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void sendAgainAfterTheAnswerCameSendsNothingUntilTheFormIsChanged() {
    WalletPage wallet = walletThroughProxy();
    wallet.fillSend(payerAccount, payeeAccount, "12.00", "Coffee beans");
    wallet.click("send-submit");
    wallet.awaitTransferStatus("COMPLETED");

    // The second click of a double click that lands after the answer: the button is off, and a
    // submit that gets through anyway (Enter in a field) is ignored.
    assertThat(wallet.element("send-submit").isEnabled()).isFalse();
    ((JavascriptExecutor) browser.driver())
        .executeScript("document.getElementById('send-form').requestSubmit();");
    assertThat(proxy.transferKeys()).as("requests that reached the API").hasSize(1);
    assertPaidOnce(1200);

    // A changed form is a new payment.
    wallet.element("send-amount").clear();
    wallet.element("send-amount").sendKeys("3.00");
    wallet.click("send-submit");
    Eventually.await(
        Duration.ofSeconds(10),
        "the second payment debited",
        () -> client.balance(payer, payerAccount) == FUNDS - 1_500);
    assertThat(proxy.transferKeys()).hasSize(2).doesNotHaveDuplicates();
  }

  private WalletPage walletThroughProxy() {
    WalletPage wallet = new WalletPage(browser).open("http://localhost:" + proxy.port() + "/app/");
    wallet.logIn(payer.email(), PaystreamClient.PASSWORD);
    return wallet;
  }

  /** One transfer out of the payer's account, the payer debited once, the payee credited once. */
  private void assertPaidOnce(long amount) {
    User ops = client.ops();
    JsonNode transfers = client.get(ops, "/api/v1/ops/transfers?accountId=" + payerAccount);
    assertThat(transfers.get("items").valueStream().map(t -> t.get("amount").asLong()).toList())
        .as("transfers of the payer's account")
        .containsExactly(amount);
    assertThat(client.balance(payer, payerAccount)).isEqualTo(FUNDS - amount);
    assertThat(client.balance(payee, payeeAccount)).isEqualTo(amount);
    JsonNode entries =
        client.get(payer, "/api/v1/accounts/" + payerAccount + "/transactions?limit=100");
    assertThat(entries.get("items").valueStream().map(e -> e.get("direction").asString()))
        .as("the payer's entries: the funding and one debit")
        .containsExactlyInAnyOrder("CREDIT", "DEBIT");
    MoneyAssertions.assertLedgerBalanced(client, ops);
  }
}
