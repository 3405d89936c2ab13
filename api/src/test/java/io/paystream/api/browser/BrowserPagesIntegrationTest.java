package io.paystream.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The pages' Content-Security-Policy, seen from a real browser: an injected inline script or
 * handler never runs, the page's own external script does, and the violation is reported where
 * {@link Browser#consoleErrors()} reads it (so the page tests' "no console errors" can fail).
 */
class BrowserPagesIntegrationTest extends BrowserIntegrationTest {

  @Test
  void inlineScriptsAndHandlersAreRefusedAndExternalScriptsRun() {
    browser.open(url("/app/harness-check.html"));

    browser.waitForText(By.id("external"), "external script ran");
    assertThat(browser.driver().getTitle()).isEqualTo("untouched");
    assertThat(browser.consoleErrors())
        .anySatisfy(line -> assertThat(line).contains("Content Security Policy"));
  }

  @Test
  void aPageFolderWithoutItsSlashIsSentToTheFolder() {
    http.get()
        .uri("/console")
        .exchange()
        .expectStatus()
        .isEqualTo(301)
        .expectHeader()
        .location("/console/");
    http.get()
        .uri("/app")
        .exchange()
        .expectStatus()
        .isEqualTo(301)
        .expectHeader()
        .location("/app/");
  }

  @Test
  void thePagesAreServedWithoutATokenToGetAndHead() {
    for (String page : new String[] {"/app/", "/console/"}) {
      http.get()
          .uri(page)
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .contentTypeCompatibleWith("text/html")
          .expectHeader()
          .valueMatches("Content-Security-Policy", "default-src 'none'; script-src 'self';.*");
      http.head().uri(page).exchange().expectStatus().isOk();
    }
  }

  @Test
  void everyApiAnswerCarriesThePolicy() {
    http.get()
        .uri("/api/v1/me")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueMatches("Content-Security-Policy", ".*script-src 'self';.*frame-ancestors 'none'.*")
        .expectHeader()
        .valueEquals("Referrer-Policy", "no-referrer");
  }
}
