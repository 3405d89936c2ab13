package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Withdrawals from the wallet: a refusal reads as a sentence, and an accepted withdrawal is
 * followed to COMPLETED (the payout provider is the test JVM's simulator).
 */
class WalletWithdrawIntegrationTest extends BrowserIntegrationTest {

  private static final String IBAN = "DE89 3704 0044 0532 0130 00";

  @Test
  void aRefusedWithdrawalReadsAsASentenceAndAnAcceptedOneCompletes() {
    User customer = client.newCustomer();
    UUID account = client.openAccount(customer, "EUR");
    client.deposit(customer, account, 10_000, "EUR");
    WalletPage wallet = new WalletPage(browser).open(url("/app/"));
    wallet.logIn(customer.email(), PaystreamClient.PASSWORD);
    wallet.goTo("withdraw");
    new Select(browser.waitFor(By.id("withdraw-account"))).selectByValue(account.toString());
    wallet.element("withdraw-destination").sendKeys(IBAN);

    wallet.element("withdraw-amount").sendKeys("500.00");
    wallet.click("withdraw-submit");
    browser.waitForText(By.id("withdraw-error"), "not enough money");
    assertThat(client.balance(customer, account)).isEqualTo(10_000);

    wallet.element("withdraw-amount").clear();
    wallet.element("withdraw-amount").sendKeys("40.00");
    wallet.click("withdraw-submit");
    browser.waitForText(By.cssSelector("#withdrawals .withdrawal-status"), "COMPLETED");

    assertThat(wallet.element("withdraw-error").isDisplayed()).isFalse();
    assertThat(wallet.element("withdrawals").getText()).contains("40.00 EUR", "DE89");
    assertThat(client.balance(customer, account)).isEqualTo(6_000);
    browser.screenshot("wallet-withdraw-desktop");
    // The refusal's 422 is logged by the browser as a failed load; nothing else may be.
    assertThat(browser.consoleErrors())
        .allSatisfy(line -> assertThat(line).contains("/api/v1/withdrawals").contains("422"));
  }
}
