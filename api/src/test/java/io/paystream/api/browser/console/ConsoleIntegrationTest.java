package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.browser.BrowserIntegrationTest;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A console test: a fresh browser with the console open at {@link #console}, customers with money
 * to move ({@link #parties}), and {@link #assertNoConsoleErrors()} for the end of each test.
 */
abstract class ConsoleIntegrationTest extends BrowserIntegrationTest {

  /** Registered once per test class: registering and logging in are slow by design. */
  private static final Parties.Customers CUSTOMERS = new Parties.Customers();

  protected ConsolePage console;

  @BeforeEach
  void openConsole() {
    console = new ConsolePage(browser, url("/console/"));
  }

  /** Every test ends with this: script errors and CSP violations are console errors. */
  protected void assertNoConsoleErrors() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  /** Alice (funded with 1,000.00 EUR) and Bob, each with a new EUR account. */
  protected Parties parties() {
    return CUSTOMERS.open(client, "EUR", 100_000);
  }

  /** A transfer from Alice to Bob with this description, accepted (202); returns its id. */
  protected UUID transfer(Parties parties, long amount, String description) {
    JsonNode accepted =
        PaystreamClient.json(
            http.post()
                .uri("/api/v1/transfers")
                .headers(h -> h.setBearerAuth(parties.alice().token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of(
                        "fromAccountId",
                        parties.aliceAccount().toString(),
                        "toAccountId",
                        parties.bobAccount().toString(),
                        "amount",
                        amount,
                        "currency",
                        "EUR",
                        "description",
                        description))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .returnResult());
    return UUID.fromString(accepted.get("id").asString());
  }
}
