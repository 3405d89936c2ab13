package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A customer uses the wallet from the start: registers, logs out and in again, opens an account,
 * adds money, sends some to another customer, and watches the transfer complete live over the
 * transfer's event stream, the page never reloaded.
 */
class WalletSendIntegrationTest extends BrowserIntegrationTest {

  @Test
  void aNewCustomerSendsMoneyAndSeesItCompleteLive() {
    User payee = client.newCustomer();
    UUID payeeAccount = client.openAccount(payee, "EUR");
    String email = "wallet-" + UUID.randomUUID() + "@example.com";
    WalletPage wallet = new WalletPage(browser.phone()).open(url("/app/"));

    wallet.register("Wanda Wallet", email, PaystreamClient.PASSWORD);
    wallet.logOut();
    wallet.logIn(email, PaystreamClient.PASSWORD);
    UUID account = wallet.openAccount("EUR");
    wallet.deposit(account, "100.00");
    assertThat(wallet.balanceShown(account)).isEqualTo("100.00 EUR");

    // A mark in the page's memory: still there at the end means no reload happened.
    JavascriptExecutor page = (JavascriptExecutor) browser.driver();
    page.executeScript("window.notReloaded = true;");
    wallet.fillSend(account, payeeAccount, "25.50", "Dinner at Luigi's");
    wallet.click("send-submit");
    wallet.awaitTransferStatus("COMPLETED");

    assertThat(wallet.timeline())
        .as("PENDING shown from the answer, COMPLETED pushed over the event stream")
        .containsExactly("PENDING/accepted", "COMPLETED/live");
    assertThat(page.executeScript("return window.notReloaded === true;")).isEqualTo(true);
    assertThat(wallet.element("transfer-description").getText()).isEqualTo("Dinner at Luigi's");
    browser.waitForText(By.id("send-balance"), "74.50 EUR");
    page.executeScript("document.getElementById('transfer').scrollIntoView();");
    browser.screenshot("wallet-transfer-completed-phone");
    browser.desktop();
    page.executeScript("window.scrollTo(0, 0);");
    browser.screenshot("wallet-transfer-completed-desktop");
    browser.phone();

    User payer = new User(null, email, client.login(email, PaystreamClient.PASSWORD));
    assertThat(client.balance(payer, account)).isEqualTo(7450);
    assertThat(client.balance(payee, payeeAccount)).isEqualTo(2550);
    MoneyAssertions.assertLedgerBalanced(client, client.ops());

    wallet.goTo("accounts");
    assertThat(wallet.balanceShown(account)).isEqualTo("74.50 EUR");
    assertThat(browser.driver().findElements(By.cssSelector(".account-available")))
        .as("nothing held, so no separate available balance")
        .isEmpty();
    // A hold: the card shows what is still available beside the balance, which does not move.
    assertThat(
            client
                .moneyPost(
                    payer,
                    "/api/v1/holds",
                    UUID.randomUUID().toString(),
                    Map.of(
                        "fromAccountId",
                        account.toString(),
                        "toAccountId",
                        payeeAccount.toString(),
                        "amount",
                        2_000,
                        "currency",
                        "EUR"))
                .getStatus()
                .value())
        .isEqualTo(201);
    // The accounts page reads the accounts whenever it is shown.
    wallet.goTo("send");
    wallet.goTo("accounts");
    browser.waitForText(
        By.cssSelector("li.account[data-account-id='" + account + "'] .account-available"),
        "54.50 EUR");
    assertThat(wallet.balanceShown(account)).isEqualTo("74.50 EUR");
    browser.screenshot("wallet-home-phone");
    browser.desktop();
    browser.screenshot("wallet-home-desktop");
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
