package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/ops/alerts.yml is valid and each alert fires when it should and only then, checked by
 * Prometheus's own {@code promtool} (Debian package {@code prometheus}; .ci/run installs it). A
 * developer without it skips these tests; in CI ({@code CI} set) a missing promtool fails them, so
 * the rules are never left unchecked silently.
 */
class AlertRulesTest {

  private static final Path RULES_DIRECTORY = Path.of("..", "docs", "ops");
  private static final long PROMTOOL_SECONDS_MAX = 60;

  private static String promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = onPath("promtool");
    if (promtool == null) {
      if (System.getenv("CI") != null) {
        fail(
            "promtool is not installed, and CI must check the alert rules (apt-get install prometheus)");
      }
      Assumptions.abort("promtool is not installed (Debian package prometheus)");
    }
  }

  @Test
  void theAlertRulesAreValid() throws Exception {
    assertThat(run(promtool, "check", "rules", "alerts.yml")).contains("SUCCESS: 7 rules found");
  }

  @Test
  void eachAlertFiresOnItsSymptomAndStaysSilentOtherwise() throws Exception {
    assertThat(run(promtool, "test", "rules", "alerts.test.yml")).contains("SUCCESS");
  }

  /** Runs in the rules directory; fails the test, with promtool's output, unless it exits 0. */
  private static String run(String... command) throws IOException, InterruptedException {
    // To a file, not a pipe: a full pipe would stall promtool and turn a failure into a timeout.
    Path log = Files.createTempFile("promtool", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(RULES_DIRECTORY.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(PROMTOOL_SECONDS_MAX, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + PROMTOOL_SECONDS_MAX + " s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isZero();
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String onPath(String program) {
    return List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .stream()
        .map(directory -> Path.of(directory, program))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst()
        .orElse(null);
  }
}
