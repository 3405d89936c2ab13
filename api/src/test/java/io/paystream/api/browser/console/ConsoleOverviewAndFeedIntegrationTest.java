package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.Parties;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** An operator logs in, reads the overview, and watches transfers arrive in the live feed. */
class ConsoleOverviewAndFeedIntegrationTest extends ConsoleIntegrationTest {

  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void anOperatorSeesTheOverviewNumbersAndTheFifteenMinuteChart() {
    Parties parties = parties();
    for (int i = 0; i < 3; i++) {
      transfer(parties, 100 + i, "overview traffic");
    }
    console.logIn();

    WebElement pending = console.waitFor(By.id("tile-pending"));
    console.waitFor(By.cssSelector("#overview-updated"));
    console.waitForText(By.id("overview-updated"), "As of");
    assertThat(pending.getText()).matches("[0-9,]+");
    assertThat(console.waitFor(By.id("tile-acceptedPerSecond")).getText())
        .matches("[0-9]+\\.[0-9]");
    assertThat(console.waitFor(By.id("tile-oldestPendingAgeSeconds")).getText())
        .matches(".*[0-9]+ s");
    // The chart: one line per series once the server has a sample (it samples every 10 s).
    WebElement chart =
        console.waitForPresent(By.cssSelector("#chart-rates svg .line, #chart-rates svg .point"));
    assertThat(chart.getAttribute("class")).contains("series-");
    assertThat(console.all(By.cssSelector("#chart-rates .legend li")))
        .extracting(WebElement::getText)
        .containsExactly("accepted", "completed", "failed");
    browser.screenshot("console-overview-desktop");
    browser.phone();
    console.waitFor(By.id("chart-queues"));
    browser.screenshot("console-overview-phone");
    browser.desktop();
    assertNoConsoleErrors();
  }

  @Test
  void aTransferAppearsInTheLiveFeedAndEventsMissedWhilePausedArriveOnResume() {
    Parties parties = parties();
    console.logIn("#feed");
    console.waitForText(By.id("feed-state"), "Live");

    UUID first = transfer(parties, 1_250, "rent share");
    WebElement event =
        console.waitForText(
            By.cssSelector("#feed-list li[data-type='transfer.pending']"), first.toString());
    assertThat(event.getText())
        .contains("transfer.pending")
        .contains("12.50 EUR")
        .contains("rent share");
    console.waitForText(
        By.cssSelector("#feed-list li[data-type='transfer.completed']"), first.toString());

    // The connection is dropped; what happens meanwhile must come when it is opened again,
    // because the console reconnects with Last-Event-ID.
    console.click(By.id("feed-toggle"));
    console.waitForText(By.id("feed-state"), "Paused");
    UUID missed = transfer(parties, 300, "while paused");
    client.awaitTerminal(parties.alice(), missed, SAGA_TIMEOUT);
    assertThat(console.all(By.cssSelector("#feed-list li.event")))
        .noneMatch(li -> li.getText().contains(missed.toString()));

    console.click(By.id("feed-toggle"));
    console.waitForText(By.id("feed-state"), "Live");
    console.waitForText(
        By.cssSelector("#feed-list li[data-type='transfer.pending']"), missed.toString());
    console.waitForText(
        By.cssSelector("#feed-list li[data-type='transfer.completed']"), missed.toString());

    List<String> ids =
        console.all(By.cssSelector("#feed-list li.event")).stream()
            .map(li -> li.getAttribute("data-event-id"))
            .toList();
    assertThat(ids).as("no event shown twice").doesNotHaveDuplicates();
    browser.screenshot("console-feed");
    assertNoConsoleErrors();
  }
}
