package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.Parties;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/** Customer-chosen text is shown as text: markup in a description never becomes an element. */
class ConsoleTextRenderingIntegrationTest extends ConsoleIntegrationTest {

  private static final String INJECTED = "<img src=x onerror=alert(1)>";
  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aDescriptionWithMarkupShowsAsTextInTheFeedAndInSearch() {
    Parties parties = parties();
    console.logIn("#feed");
    console.waitForText(By.id("feed-state"), "Live");

    UUID transfer = transfer(parties, 100, INJECTED);
    console.waitForText(
        By.cssSelector("#feed-list li[data-type='transfer.pending']"), transfer.toString());
    assertThat(console.waitForText(By.cssSelector("#feed-list li.event dd"), INJECTED).getText())
        .isEqualTo(INJECTED);
    assertNothingInjected();

    client.awaitTerminal(parties.alice(), transfer, SAGA_TIMEOUT);
    console.go("#search");
    console.type(By.id("search-account"), parties.aliceAccount().toString());
    console.click(By.id("search-submit"));
    assertThat(
            console
                .waitFor(By.cssSelector("#search-results tr[data-id='" + transfer + "']"))
                .getText())
        .contains(INJECTED);
    assertNothingInjected();
    assertNoConsoleErrors();
  }

  private void assertNothingInjected() {
    assertThat(console.all(By.tagName("img"))).as("img elements").isEmpty();
    try {
      browser.driver().switchTo().alert();
      throw new AssertionError("an alert opened: the description ran as markup");
    } catch (NoAlertPresentException expected) {
      // no alert: the text stayed text
    }
  }
}
