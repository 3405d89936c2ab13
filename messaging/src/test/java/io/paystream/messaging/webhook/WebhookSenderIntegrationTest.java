package io.paystream.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.messaging.testing.LegacySealing;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import io.paystream.persistence.webhook.WebhookStore;
import io.paystream.persistence.webhook.WebhookStore.DeadDelivery;
import io.paystream.persistence.webhook.WebhookStore.Enqueued;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The URL guard at delivery time, against the real database and a real HTTP receiver on 127.0.0.1:
 * a host whose name now resolves to a refused address (what a rebinding DNS server answers after
 * the URL was registered) is refused before a connection is opened, and the delivery is
 * dead-lettered as "url refused" instead of being retried. The name is answered by a stand-in for
 * that DNS server, given to the sender in place of reactor-netty's resolver; the control test
 * proves that same answer does reach the receiver when loopback is allowed.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
    })
class WebhookSenderIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Currency EUR = Currency.getInstance("EUR");
  private static final String REBOUND_HOST = "rebound.paystream.test";

  /**
   * paystream.payout.destination-key of the test application (paystream-payout-test.properties).
   */
  private static final byte[] TEST_KEY =
      Base64.getDecoder().decode("dGVzdC1vbmx5LWRlc3RpbmF0aW9uLWtleS0zMmJ5dGU=");

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired WebhookStore webhooks;
  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired SecretSealer sealer;
  @Autowired DatabaseClient db;
  @Autowired WebhookProperties properties;
  @Autowired Clock clock;

  private static final ReboundNames REBOUND_NAMES = new ReboundNames();
  private static final AtomicInteger connections = new AtomicInteger();
  private static final AtomicInteger requests = new AtomicInteger();
  private static final AtomicReference<String> lastSignature = new AtomicReference<>();
  private static final AtomicReference<String> lastBody = new AtomicReference<>();
  private static DisposableServer receiver;

  /**
   * Answers 200 and closes: every delivery needs a connection of its own, which is counted. Keeps
   * the last request's signature and body.
   */
  @BeforeAll
  static void startReceiver() {
    receiver =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .doOnConnection(connection -> connections.incrementAndGet())
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString()
                        .defaultIfEmpty("")
                        .flatMap(
                            body -> {
                              lastSignature.set(
                                  request.requestHeaders().get(WebhookSignature.HEADER));
                              lastBody.set(body);
                              requests.incrementAndGet();
                              return response
                                  .status(200)
                                  .header("Connection", "close")
                                  .send()
                                  .then();
                            }))
            .bindNow();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.disposeNow();
  }

  @Test
  void aNameThatNowResolvesToARefusedAddressIsRefusedBeforeConnectingAndDeadLettered() {
    UUID endpoint = endpointWithOneDueDelivery(REBOUND_HOST);
    int connectionsBefore = connections.get();
    int requestsBefore = requests.get();

    sender(new WebhookUrlGuard(false, false))
        .deliverDue()
        .as(StepVerifier::create)
        .expectNext(false)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(connections.get())
        .as("connections opened to the refused address")
        .isEqualTo(connectionsBefore);
    assertThat(requests.get()).isEqualTo(requestsBefore);
    assertThat(webhooks.describeDeliveries(endpoint).collectList().block(PATIENCE))
        .containsExactly("deposit.completed:DEAD:1");
    assertThat(deadLetter(endpoint).lastError())
        .isEqualTo("url refused: the host resolves to a loopback address");
  }

  /** The check does not rely on the shape check before it: a literal is judged at connect too. */
  @Test
  void aRefusedIpLiteralIsAlsoRefusedAtConnectTime() {
    UUID endpoint = endpointWithOneDueDelivery("127.0.0.1");
    int connectionsBefore = connections.get();

    sender(new WebhookUrlGuard(false, false))
        .deliverDue()
        .as(StepVerifier::create)
        .expectNext(false)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(connections.get()).isEqualTo(connectionsBefore);
    assertThat(deadLetter(endpoint).lastError())
        .isEqualTo("url refused: the host resolves to a loopback address");
  }

  @Test
  void theSameNameIsDeliveredToWhenItsAddressIsAllowed() {
    UUID endpoint = endpointWithOneDueDelivery(REBOUND_HOST);
    int requestsBefore = requests.get();

    sender(new WebhookUrlGuard(true, false))
        .deliverDue()
        .as(StepVerifier::create)
        .expectNext(true)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(requests.get()).isEqualTo(requestsBefore + 1);
    assertThat(webhooks.describeDeliveries(endpoint).collectList().block(PATIENCE))
        .containsExactly("deposit.completed:DELIVERED:1");
  }

  /**
   * Rows sealed before keys were per purpose: the delivery is signed with the right secret, and the
   * endpoint's secret is sealed again under the webhook key, so the legacy key is needed once.
   */
  @Test
  void aSecretSealedWithTheLegacyKeySignsItsDeliveryAndIsSealedAgainPerPurpose() {
    String secret = "whsec_sealed_before_issue_19";
    UUID endpoint =
        endpointWithOneDueDelivery(REBOUND_HOST, id -> LegacySealing.seal(TEST_KEY, id, secret));

    sender(new WebhookUrlGuard(true, false))
        .deliverDue()
        .as(StepVerifier::create)
        .expectNext(true)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(
            WebhookSignature.verify(
                secret, lastSignature.get(), lastBody.get(), clock.instant().getEpochSecond(), 60))
        .as("signed with the secret the customer was given")
        .isTrue();
    byte[] stored = sealedSecret(endpoint);
    assertThat(sealer.open(Purpose.WEBHOOK_SECRET, endpoint, stored))
        .isEqualTo(new SecretSealer.Opened(secret, false));
  }

  @Test
  void aSecretSealedPerPurposeIsLeftAsItIs() {
    UUID endpoint = endpointWithOneDueDelivery(REBOUND_HOST);
    byte[] before = sealedSecret(endpoint);

    sender(new WebhookUrlGuard(true, false))
        .deliverDue()
        .as(StepVerifier::create)
        .expectNext(true)
        .expectComplete()
        .verify(PATIENCE);

    assertThat(sealedSecret(endpoint)).isEqualTo(before);
    assertThat(
            WebhookSignature.verify(
                "whsec_test",
                lastSignature.get(),
                lastBody.get(),
                clock.instant().getEpochSecond(),
                60))
        .isTrue();
  }

  private byte[] sealedSecret(UUID endpoint) {
    return db.sql("SELECT secret_sealed FROM webhook_endpoint WHERE id = :id")
        .bind("id", endpoint)
        .map(row -> row.get("secret_sealed", byte[].class))
        .one()
        .block(PATIENCE);
  }

  private WebhookSender sender(WebhookUrlGuard guard) {
    return new WebhookSender(webhooks, sealer, guard, properties, clock, () -> REBOUND_NAMES);
  }

  /** A new owner, account and endpoint at the receiver's port on host, one delivery due now. */
  private UUID endpointWithOneDueDelivery(String host) {
    return endpointWithOneDueDelivery(
        host, id -> sealer.seal(Purpose.WEBHOOK_SECRET, id, "whsec_test"));
  }

  private UUID endpointWithOneDueDelivery(String host, Function<UUID, byte[]> sealedSecret) {
    UUID owner = Ids.newId();
    users
        .insert(
            new UserRecord(
                owner, owner + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    Account account = accounts.open(owner, EUR).block(PATIENCE);
    UUID endpoint = Ids.newId();
    String url = "http://" + host + ":" + receiver.port() + "/hook";
    webhooks
        .create(endpoint, owner, url, List.of("deposit.completed"), sealedSecret.apply(endpoint))
        .block(PATIENCE);
    webhooks
        .enqueueAll(
            List.of(
                new Enqueued(
                    Ids.newId(),
                    "deposit.completed",
                    List.of(account.id()),
                    "{\"type\":\"deposit.completed\"}")),
            Instant.now().plus(Duration.ofDays(1)))
        .block(PATIENCE);
    return endpoint;
  }

  private DeadDelivery deadLetter(UUID endpoint) {
    return webhooks
        .dead(null, 100)
        .filter(dead -> dead.endpointId().equals(endpoint))
        .single()
        .block(PATIENCE);
  }

  /**
   * Stands in for a DNS server that, by delivery time, answers 127.0.0.1 for {@link #REBOUND_HOST};
   * any other name does not exist. Non-blocking, like the resolver it replaces.
   */
  private static final class ReboundNames extends AddressResolverGroup<InetSocketAddress> {

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
      return new InetNameResolver(executor) {
        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) throws Exception {
          if (REBOUND_HOST.equals(host)) {
            promise.setSuccess(loopback());
          } else {
            promise.setFailure(new UnknownHostException(host));
          }
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise)
            throws Exception {
          if (REBOUND_HOST.equals(host)) {
            promise.setSuccess(List.of(loopback()));
          } else {
            promise.setFailure(new UnknownHostException(host));
          }
        }
      }.asAddressResolver();
    }

    private static InetAddress loopback() throws UnknownHostException {
      return InetAddress.getByAddress(REBOUND_HOST, new byte[] {127, 0, 0, 1});
    }
  }
}
