package io.paystream.api.testing;

import io.paystream.api.PaystreamApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole application on a random port, against the real PostgreSQL (a fresh database per JVM),
 * the real Redis and an in-JVM Kafka broker. Every subclass shares one application context, so
 * tests isolate themselves by registering their own users.
 */
@SpringBootTest(
    classes = PaystreamApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "paystream.jwt-secret=integration-test-secret-0123456789abcdef",
      "paystream.ops-email=ops@paystream.test",
      "paystream.ops-password=ops-password-for-tests",
      "paystream.transfer-max-minor-units.CHF=50000",
      "paystream.daily-outgoing-max-minor-units.SEK=100000",
      "paystream.kafka.outbox-poll-interval-seconds=1",
      // The outbox purge every second, two rows a batch: OutboxRetentionIntegrationTest sees a
      // pass of several batches within seconds. Rows of the other tests are far younger than
      // the retention, so they are never purged.
      "paystream.kafka.outbox-purge-interval-seconds=1",
      "paystream.kafka.outbox-purge-batch-size-max=2",
      // Withdrawals: a test-only key, and the payout leg's limits shortened so that timeouts,
      // the breaker's wait and the recovery sweep each take a second or two.
      "paystream.payout.destination-key=dGVzdC1vbmx5LWRlc3RpbmF0aW9uLWtleS0zMmJ5dGU=",
      "paystream.payout.call-timeout-millis=1000",
      "paystream.payout.retry-backoff-min-millis=50",
      "paystream.payout.retry-backoff-max-millis=200",
      "paystream.payout.breaker-window-calls=6",
      "paystream.payout.breaker-minimum-calls=4",
      "paystream.payout.breaker-open-seconds=2",
      "paystream.payout.breaker-half-open-calls=1",
      "paystream.payout.recovery-sweep-interval-seconds=1",
      "paystream.payout.recovery-stale-seconds=3",
      // Webhooks: the test receiver listens on loopback; retries and the horizon shortened.
      "paystream.webhooks.allow-loopback=true",
      "paystream.webhooks.poll-interval-millis=100",
      "paystream.webhooks.retry-backoff-min-millis=100",
      "paystream.webhooks.retry-backoff-max-seconds=1",
      "paystream.webhooks.retry-horizon-seconds=4",
      "paystream.velocity-per-minute-max.NOK=3",
      "paystream.cors-allowed-origins=" + ApiIntegrationTest.ALLOWED_ORIGIN,
      // Every test of this shared context comes from 127.0.0.1, the OPS user logs in for
      // many tests, and some users send hundreds of requests a minute (the concurrency test):
      // rate limits are lifted here. RateLimitIntegrationTest runs its own context with the
      // default limits and proves each of them.
      "paystream.rate-limit.api-per-user=1000000",
      "paystream.rate-limit.login-per-email=1000000",
      "paystream.rate-limit.registration-per-email=1000000",
      "paystream.rate-limit.money-per-user=1000000",
      "paystream.rate-limit.login-per-address=1000000",
      "paystream.rate-limit.registration-per-address=1000000",
      "paystream.rate-limit.refresh-per-address=1000000",
      "paystream.statements.signing-key=integration-test-statement-key-0123456789",
      // Tests see a new entry in the current month's statement at once, and run the monthly
      // job themselves: a scheduled run would hold its lock under StatementJobIntegrationTest.
      "paystream.statements.current-month-cache-seconds=0",
      "paystream.statements.job-enabled=false",
      // Every request traced, so that a test may follow any of them (CapturedSpans).
      "management.tracing.sampling.probability=1.0",
    })
@Import(CapturedSpans.Configuration.class)
public abstract class ApiIntegrationTest {

  public static final String OPS_EMAIL = "ops@paystream.test";
  public static final String OPS_PASSWORD = "ops-password-for-tests";
  public static final String ALLOWED_ORIGIN = "https://app.paystream.test";

  @LocalServerPort protected int port;

  protected WebTestClient http;
  protected PaystreamClient client;

  /**
   * Where a subclass that needs Kafka elsewhere (at a closed port) points it, in a property source
   * of its own: Spring applies a superclass's {@code @DynamicPropertySource} after the subclass's,
   * so a subclass cannot override the broker's address there.
   */
  public static final String KAFKA_ELSEWHERE = "paystream.test.kafka-bootstrap-servers";

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    registry.add(
        "paystream.kafka.bootstrap-servers",
        () -> "${" + KAFKA_ELSEWHERE + ":" + TestKafka.bootstrapServers() + "}");
    TestPayoutProvider.register(registry);
    // A Redis bucket keeps the capacity it was created with: each application context (this
    // one, the rate-limit tests' own, a second instance) and each run gets keys of its own.
    registry.add(
        "paystream.rate-limit.key-prefix",
        () -> "paystream:rate:test:" + java.util.UUID.randomUUID() + ":");
  }

  @BeforeEach
  void connect() {
    http =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(30))
            // The Prometheus page (histograms included) is larger than the 256 KiB default.
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
            .build();
    client = new PaystreamClient(http);
  }
}
