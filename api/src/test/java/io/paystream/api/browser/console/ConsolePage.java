package io.paystream.api.browser.console;

import io.paystream.api.browser.Browser;
import io.paystream.api.testing.ApiIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console as an operator uses it: log in, go to a view by its address, read what a
 * view shows. Waits are the harness's ({@link Browser}); nothing here sleeps.
 */
final class ConsolePage {

  /** Long enough for a transfer's saga and an overview refresh on a loaded 2-core machine. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Browser browser;
  private final String base;

  ConsolePage(Browser browser, String consoleUrl) {
    this.browser = browser;
    this.base = consoleUrl;
  }

  /** Opens the console and logs in as the tests' OPS user; lands on the overview. */
  ConsolePage logIn() {
    return logIn("#overview");
  }

  /** Opens the console at {@code hash} (a view) and logs in; the view shows after the login. */
  ConsolePage logIn(String hash) {
    return logIn(hash, ApiIntegrationTest.OPS_EMAIL, ApiIntegrationTest.OPS_PASSWORD);
  }

  ConsolePage logIn(String hash, String email, String password) {
    browser.open(base + hash);
    browser.waitFor(By.id("login-email")).sendKeys(email);
    browser.driver().findElement(By.id("login-password")).sendKeys(password);
    browser.driver().findElement(By.id("login-submit")).click();
    return this;
  }

  /** Navigates inside the page (no reload: the session lives in memory only). */
  ConsolePage go(String hash) {
    waitFor(By.id("nav"));
    ((JavascriptExecutor) browser.driver()).executeScript("location.hash = arguments[0];", hash);
    return this;
  }

  WebElement waitFor(By by) {
    return until(
        "a visible " + by,
        () ->
            browser.driver().findElements(by).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
  }

  /** The first element {@code by} finds, visible or not (a flat chart line has no height). */
  WebElement waitForPresent(By by) {
    return until(
        "an element " + by,
        () -> browser.driver().findElements(by).stream().findFirst().orElse(null));
  }

  WebElement waitForText(By by, String text) {
    return until(
        by + " with text \"" + text + "\"",
        () ->
            browser.driver().findElements(by).stream()
                .filter(element -> element.getText().contains(text))
                .findFirst()
                .orElse(null));
  }

  List<WebElement> all(By by) {
    return browser.driver().findElements(by);
  }

  void type(By by, String text) {
    WebElement input = waitFor(by);
    input.clear();
    input.sendKeys(text);
  }

  void click(By by) {
    waitFor(by).click();
  }

  /** Waits for {@code found}; on timeout the message shows what the page said instead. */
  private <T> T until(String what, Supplier<T> found) {
    try {
      // Views re-render after an action (the account summary after a freeze): an element found
      // a moment ago may be gone; look again.
      return new WebDriverWait(browser.driver(), WAIT)
          .ignoring(StaleElementReferenceException.class)
          .until(driver -> found.get());
    } catch (TimeoutException e) {
      String page = browser.driver().findElement(By.tagName("body")).getText();
      throw new AssertionError("waited " + WAIT + " for " + what + "; the page shows:\n" + page, e);
    }
  }
}
