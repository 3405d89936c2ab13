package io.paystream.api.browser.wallet;

import io.paystream.api.browser.Browser;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The wallet as a customer uses it, by the stable element ids documented at the top of app.js: each
 * method does what a person would (type, click) and waits for the page to show the result.
 */
final class WalletPage {

  /** As long as the harness's own waits: a transfer's saga on a loaded 2-core machine. */
  static final Duration WAIT = Duration.ofSeconds(20);

  /** The accounts page once its list is read: an account's card, or the "no accounts" line. */
  private static final By ACCOUNTS_LOADED = By.cssSelector("#accounts li");

  private final Browser browser;

  WalletPage(Browser browser) {
    this.browser = browser;
  }

  /** Opens the wallet at {@code appUrl} (ending in /app/) and waits for the log-in form. */
  WalletPage open(String appUrl) {
    browser.open(appUrl);
    browser.waitFor(By.id("login-email"));
    return this;
  }

  void register(String name, String email, String password) {
    browser.driver().findElement(By.linkText("Create a wallet")).click();
    type("register-name", name);
    type("register-email", email);
    type("register-password", password);
    click("register-submit");
    awaitOrExplain(ACCOUNTS_LOADED, "register-error");
  }

  void logIn(String email, String password) {
    type("login-email", email);
    type("login-password", password);
    click("login-submit");
    awaitOrExplain(ACCOUNTS_LOADED, "login-error");
  }

  /** Waits for {@code by}; on a timeout, says what the page's error message showed. */
  private void awaitOrExplain(By by, String errorId) {
    try {
      browser.waitFor(by);
    } catch (TimeoutException e) {
      List<WebElement> error = browser.driver().findElements(By.id(errorId));
      throw new AssertionError(
          "the page did not show "
              + by
              + "; #"
              + errorId
              + " says: "
              + (error.isEmpty() ? "(absent)" : error.get(0).getText()),
          e);
    }
  }

  void logOut() {
    click("logout");
    browser.waitFor(By.id("login-email"));
  }

  /** Opens an account in {@code currency} and returns its id, once its card shows. */
  UUID openAccount(String currency) {
    browser.waitFor(By.id("open-currency"));
    List<String> before = accountIds();
    new Select(browser.driver().findElement(By.id("open-currency"))).selectByValue(currency);
    click("open-submit");
    new WebDriverWait(browser.driver(), WAIT).until(driver -> accountIds().size() > before.size());
    return accountIds().stream()
        .filter(id -> !before.contains(id))
        .map(UUID::fromString)
        .findFirst()
        .orElseThrow();
  }

  /** Adds {@code amount} (as typed, "100.00") to the account chosen in the deposit form. */
  void deposit(UUID account, String amount) {
    browser.waitFor(By.id("deposit-account"));
    new Select(browser.driver().findElement(By.id("deposit-account")))
        .selectByValue(account.toString());
    type("deposit-amount", amount);
    click("deposit-submit");
    browser.waitFor(By.id("deposit-result"));
  }

  /** The balance text of an account's card on the accounts page. */
  String balanceShown(UUID account) {
    return browser
        .waitFor(By.cssSelector("li.account[data-account-id='" + account + "'] .account-balance"))
        .getText();
  }

  void goTo(String nav) {
    click("nav-" + nav);
  }

  /** Fills the send form; the caller submits it (click, double click, or nothing). */
  void fillSend(UUID from, UUID to, String amount, String description) {
    goTo("send");
    browser.waitFor(By.id("send-from"));
    new Select(browser.driver().findElement(By.id("send-from"))).selectByValue(from.toString());
    type("send-to", to.toString());
    type("send-amount", amount);
    type("send-description", description);
  }

  WebElement element(String id) {
    return browser.driver().findElement(By.id(id));
  }

  void click(String id) {
    browser.waitFor(By.id(id)).click();
  }

  /** Waits until the transfer panel's status is {@code status}. */
  void awaitTransferStatus(String status) {
    new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.textToBe(By.id("transfer-status"), status));
  }

  /** The statuses of the transfer timeline, each as "STATUS/source". */
  List<String> timeline() {
    return browser.driver().findElements(By.cssSelector("#transfer-timeline li")).stream()
        .map(li -> li.getAttribute("data-status") + "/" + li.getAttribute("data-source"))
        .toList();
  }

  private List<String> accountIds() {
    return browser.driver().findElements(By.cssSelector("li.account")).stream()
        .map(li -> li.getAttribute("data-account-id"))
        .toList();
  }

  private void type(String id, String text) {
    WebElement input = browser.waitFor(By.id(id));
    input.clear();
    input.sendKeys(text);
  }
}
