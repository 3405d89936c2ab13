package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.TestPropertySource;

/**
 * The console keeps its session past the access token's lifetime by rotating the refresh token
 * before expiry (tokens live in page memory only), and a user without the OPS role is turned away.
 * Its own application context: access tokens here live 10 seconds, with no clock skew allowed.
 */
@TestPropertySource(
    properties = {"paystream.access-token-ttl-seconds=10", "paystream.clock-skew-seconds=0"})
class ConsoleSessionIntegrationTest extends ConsoleIntegrationTest {

  /** Past the first token's lifetime: without a refresh every call would be 401. */
  private static final Duration PAST_EXPIRY = Duration.ofSeconds(16);

  @Test
  void theSessionOutlivesTheAccessTokenBecauseTheConsoleRefreshesItInTime()
      throws InterruptedException {
    console.logIn("#audit");
    console.waitFor(By.cssSelector("#audit-results tbody tr"));

    // Waiting is the point here: the token must expire while the page sits open.
    Thread.sleep(PAST_EXPIRY.toMillis());

    console.type(By.id("audit-type"), "auth.refreshed.nothing");
    console.click(By.id("audit-submit"));
    console.waitForText(By.cssSelector("#audit-results p.muted"), "Nothing found.");
    console.type(By.id("audit-type"), "auth.login.succeeded");
    console.click(By.id("audit-submit"));
    console.waitFor(By.cssSelector("#audit-results tbody tr"));
    assertThat(console.all(By.cssSelector("#audit-results .problem"))).isEmpty();
    assertThat(console.all(By.id("login")).get(0).isDisplayed()).isFalse();
    // A 401 on the way would be a console error ("Failed to load resource"): none means every
    // call went out with a live token.
    assertNoConsoleErrors();
  }

  @Test
  void aCustomerCannotUseTheConsole() {
    var customer = client.newCustomer();
    console.logIn("#overview", customer.email(), io.paystream.api.testing.PaystreamClient.PASSWORD);

    console.waitForText(By.id("login-problem"), "not an operator");
    assertThat(console.all(By.id("nav")).get(0).isDisplayed()).isFalse();
    assertNoConsoleErrors();
  }
}
