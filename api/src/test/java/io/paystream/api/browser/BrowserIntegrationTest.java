package io.paystream.api.browser;

import io.paystream.api.testing.ApiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test that uses the console or the wallet as a person would: a fresh headless Chromium per test
 * ({@link #browser}), pointed at this context's port through {@link #url}. The shared application
 * context is {@link ApiIntegrationTest}'s: the same PostgreSQL, Redis and Kafka.
 */
public abstract class BrowserIntegrationTest extends ApiIntegrationTest {

  protected Browser browser;

  @BeforeEach
  void openBrowser() {
    browser = new Browser();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** The absolute address of {@code path} on this test's server. */
  protected String url(String path) {
    return "http://localhost:" + port + path;
  }
}
