package io.paystream.api.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, driven by Selenium through chromedriver, both from Debian's packages
 * ({@code chromium}, {@code chromium-driver}): nothing is downloaded at test time, and a machine
 * without them fails the test with the line that installs them rather than skipping it. Each
 * browser has a fresh profile in a temporary folder, removed on {@link #close()}.
 */
public final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String INSTALL = "apt-get install -y chromium chromium-driver";

  /** Long enough for a transfer's saga on a loaded 2-core machine; waits end as soon as met. */
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A desktop window; {@link #phone()} switches to a phone-sized one. */
  static final Dimension DESKTOP = new Dimension(1280, 900);

  static final Dimension PHONE = new Dimension(390, 844);

  /** Where {@link #screenshot} also writes, when set (the docs' copies are refreshed that way). */
  static final String SCREENSHOTS_PROPERTY = "paystream.screenshots.dir";

  private final Path profile;
  private final ChromeDriver driver;

  public Browser() {
    for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            binary + " is missing; the browser tests need Debian's Chromium: " + INSTALL);
      }
    }
    try {
      profile = Files.createTempDirectory("paystream-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--password-store=basic",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(DESKTOP);
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public Browser phone() {
    driver.manage().window().setSize(PHONE);
    return this;
  }

  public Browser desktop() {
    driver.manage().window().setSize(DESKTOP);
    return this;
  }

  /** The first element {@code by} finds once it is visible, waiting up to {@link #WAIT}. */
  public WebElement waitFor(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** The element once its text contains {@code text}, waiting up to {@link #WAIT}. */
  public WebElement waitForText(By by, String text) {
    new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  /**
   * A PNG of the window in {@code target/screenshots/NAME.png}, and in the folder named by the
   * {@value #SCREENSHOTS_PROPERTY} system property when it is set.
   */
  public Path screenshot(String name) {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      Path file = Path.of("target", "screenshots", name + ".png");
      Files.createDirectories(file.getParent());
      Files.write(file, png);
      String docs = System.getProperty(SCREENSHOTS_PROPERTY);
      if (docs != null && !docs.isBlank()) {
        Path copy = Path.of(docs, name + ".png");
        Files.createDirectories(copy.getParent());
        Files.write(copy, png);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The browser console's errors since the last call: script errors, failed loads and
   * Content-Security-Policy violations all land here, so a page test ends by asserting none.
   */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(Browser::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
