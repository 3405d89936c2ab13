package io.paystream.api.browser.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wallet's session under refresh-token rotation: an access token refused with 401 is refreshed
 * once and the request repeated; a refresh token that was already spent (the server revokes the
 * whole login) sends the customer back to the log-in page with a reason.
 */
class WalletSessionIntegrationTest extends BrowserIntegrationTest {

  private static final String ACCOUNTS = "/api/v1/accounts";
  private static final String REFRESH = "POST /api/v1/auth/refresh";

  private FaultProxy proxy;
  private User customer;
  private WalletPage wallet;

  @BeforeEach
  void logIn() {
    proxy = new FaultProxy(port);
    customer = client.newCustomer();
    client.openAccount(customer, "EUR");
    wallet = new WalletPage(browser).open("http://localhost:" + proxy.port() + "/app/");
    wallet.logIn(customer.email(), PaystreamClient.PASSWORD);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void aRefusedAccessTokenIsRefreshedOnceAndTheReadRepeated() {
    int before = proxy.requests().size();
    proxy.refuseNextRead(ACCOUNTS);

    wallet.goTo("send");
    browser.waitFor(By.id("send-from"));

    List<String> after = proxy.requests().subList(before, proxy.requests().size());
    assertThat(after)
        .as("the refused read, one refresh, the read again")
        .containsSubsequence("GET " + ACCOUNTS, REFRESH, "GET " + ACCOUNTS);
    assertThat(after.stream().filter(REFRESH::equals)).hasSize(1);
    assertOnlyUnauthorizedLoadsInConsole();
  }

  @Test
  void aReusedRefreshTokenEndsTheSessionAndShowsTheLogInWithTheReason() {
    String refreshToken =
        JsonMapper.builder()
            .build()
            .readTree(proxy.loginAnswers().get(0))
            .get("refreshToken")
            .asString();
    // Someone else spends the page's refresh token first: the page's next refresh is a reuse.
    http.post()
        .uri("/api/v1/auth/refresh")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", refreshToken))
        .exchange()
        .expectStatus()
        .isOk();
    proxy.refuseNextRead(ACCOUNTS);

    wallet.goTo("send");

    browser.waitFor(By.id("login-email"));
    browser.waitForText(By.id("notice"), "ended everywhere");
    assertThat(browser.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
    assertOnlyUnauthorizedLoadsInConsole();
  }

  /** The 401s these tests cause are logged by the browser as failed loads; nothing else may be. */
  private void assertOnlyUnauthorizedLoadsInConsole() {
    assertThat(browser.consoleErrors())
        .allSatisfy(line -> assertThat(line).contains("status of 401"));
  }
}
