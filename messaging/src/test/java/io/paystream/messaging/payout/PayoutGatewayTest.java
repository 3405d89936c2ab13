package io.paystream.messaging.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.paystream.domain.Ids;
import io.paystream.persistence.testing.Eventually;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider call through Resilience4j against the simulator, a real HTTP server: timeouts, 5xx,
 * slowness, refusals, and the breaker opening and closing. Durations are shortened (call limit 400
 * ms, breaker open 1 s) so that each scenario takes about a second.
 */
class PayoutGatewayTest {

  private static final long CALL_TIMEOUT_MILLIS = 400;
  private static final long BREAKER_OPEN_SECONDS = 1;
  private static final int RETRY_ATTEMPTS_MAX = 3;
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
  private static final String IBAN = "DE89370400440532013000";

  private static PayoutProviderSimulator provider;
  private PayoutGateway gateway;

  @BeforeAll
  static void startProvider() {
    provider = PayoutProviderSimulator.start("127.0.0.1", 0, Behaviour.HEALTHY);
    // The first call loads Netty's and WebClient's classes, far slower than the time limit.
    PayoutProviderClient warmUp =
        new PayoutProviderClient(provider.baseUrl(), 500, JsonMapper.builder().build());
    warmUp.pay(order()).block(VERIFY_TIMEOUT);
    warmUp.find(Ids.newId()).block(VERIFY_TIMEOUT);
  }

  @AfterAll
  static void stopProvider() {
    provider.close();
  }

  @BeforeEach
  void freshGateway() {
    provider.behaviour(Behaviour.HEALTHY);
    provider.failNext(0);
    provider.hangNext(0);
    gateway = gateway(provider.baseUrl());
  }

  static PayoutProperties properties(String baseUrl) {
    return new PayoutProperties(
        baseUrl,
        null,
        null,
        500,
        CALL_TIMEOUT_MILLIS,
        RETRY_ATTEMPTS_MAX,
        20,
        100,
        50,
        4,
        4,
        BREAKER_OPEN_SECONDS,
        1,
        1,
        1,
        10,
        2,
        "unused");
  }

  static PayoutGateway gateway(String baseUrl) {
    return new PayoutGateway(
        new PayoutProviderClient(baseUrl, 500, JsonMapper.builder().build()), properties(baseUrl));
  }

  private static PayoutOrder order() {
    return new PayoutOrder(Ids.newId(), 1234, "EUR", IBAN);
  }

  @Test
  void callOutcomesRecordedOnTwoEventLoopsAtOnceNeverPark() {
    // Payout answers complete on event loops; BlockHound (installed in every test JVM) turns a
    // park into an error. Two parallel threads record outcomes as fast as they can, so that a
    // window recording under a lock is contended many times over.
    gateway.breaker().transitionToClosedState();
    StepVerifier.create(
            Flux.range(0, 200_000)
                .parallel(2)
                .runOn(Schedulers.parallel())
                .doOnNext(i -> gateway.breaker().onSuccess(1, TimeUnit.MICROSECONDS))
                .sequential()
                .count())
        .expectNext(200_000L)
        .verifyComplete();
  }

  @Test
  void aHealthyProviderPaysOnceAndReturnsItsReference() {
    PayoutOrder order = order();
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .assertNext(
            answer ->
                assertThat(answer)
                    .isInstanceOfSatisfying(
                        ProviderAnswer.Paid.class,
                        paid ->
                            assertThat(paid.reference())
                                .isEqualTo(provider.payout(order.id()).reference())))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(1);
    assertThat(provider.payout(order.id()).destination()).isEqualTo(IBAN);
    assertThat(provider.payout(order.id()).amount()).isEqualTo(1234);
  }

  @Test
  void aSlowProviderWithinTheTimeLimitIsWaitedForAndNotCalledTwice() {
    provider.behaviour(new Behaviour(CALL_TIMEOUT_MILLIS / 2, 0, 0, 0, 0));
    PayoutOrder order = order();
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .assertNext(answer -> assertThat(answer).isInstanceOf(ProviderAnswer.Paid.class))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(1);
  }

  @Test
  void anAnswerLaterThanTheTimeLimitIsRetriedAndTheProviderPaysOnlyOnce() {
    provider.behaviour(new Behaviour(0, 0, 0, 0, CALL_TIMEOUT_MILLIS * 5));
    provider.hangNext(1);
    PayoutOrder order = order();
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .assertNext(answer -> assertThat(answer).isInstanceOf(ProviderAnswer.Paid.class))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).as("the timed-out call, then the retry").isEqualTo(2);
    assertThat(provider.payout(order.id()).status()).isEqualTo("PAID");
  }

  @Test
  void serverErrorsAreRetriedWithBackoffUntilTheProviderAnswers() {
    provider.failNext(RETRY_ATTEMPTS_MAX - 1);
    PayoutOrder order = order();
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .assertNext(answer -> assertThat(answer).isInstanceOf(ProviderAnswer.Paid.class))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(RETRY_ATTEMPTS_MAX);
  }

  @Test
  void serverErrorsBeyondTheRetryBudgetSurfaceAsProviderTroubleNotAsARefusal() {
    provider.failNext(RETRY_ATTEMPTS_MAX);
    PayoutOrder order = order();
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .expectError(ProviderUnavailableException.class)
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(RETRY_ATTEMPTS_MAX);
    assertThat(provider.payout(order.id())).isNull();
  }

  @Test
  void aHangingProviderExhaustsTheRetriesWithATimeout() {
    provider.behaviour(new Behaviour(CALL_TIMEOUT_MILLIS * 3, 0, 0, 0, 0));
    gateway
        .pay(order())
        .as(StepVerifier::create)
        .expectError(TimeoutException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void aRefusedDestinationIsADefinitiveAnswerAndIsNotRetried() {
    String closed = "GB82WEST12345698765432";
    provider.refuse(closed);
    PayoutOrder order = new PayoutOrder(Ids.newId(), 100, "GBP", closed);
    gateway
        .pay(order)
        .as(StepVerifier::create)
        .assertNext(
            answer ->
                assertThat(answer)
                    .isInstanceOfSatisfying(
                        ProviderAnswer.Refused.class,
                        refused ->
                            assertThat(refused.reason()).contains("destination account closed")))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(1);
  }

  @Test
  void findAnswersEmptyForAPayoutThatNeverHappenedAndTheAnswerForOneThatDid() {
    PayoutOrder order = order();
    gateway
        .find(order.id())
        .as(StepVerifier::create)
        .expectNext(Optional.empty())
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    gateway.pay(order).block(VERIFY_TIMEOUT);
    gateway
        .find(order.id())
        .as(StepVerifier::create)
        .assertNext(found -> assertThat(found).get().isInstanceOf(ProviderAnswer.Paid.class))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts(order.id())).isEqualTo(1);
    assertThat(provider.gets(order.id())).isEqualTo(2);
  }

  @Test
  void anUnreachableProviderIsProviderTroubleThatTheBreakerCounts() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PayoutGateway unreachable = gateway("http://127.0.0.1:" + closedPort);
    unreachable
        .pay(order())
        .as(StepVerifier::create)
        .expectErrorMatches(PayoutGateway::isProviderTrouble)
        .verify(VERIFY_TIMEOUT);
    assertThat(unreachable.breaker().getMetrics().getNumberOfFailedCalls())
        .isEqualTo(RETRY_ATTEMPTS_MAX);
  }

  @Test
  void theBreakerOpensOnAFailingProviderThenRefusesCallsWithoutReachingIt() {
    provider.behaviour(new Behaviour(0, 1.0, 0, 0, 0));
    gateway.pay(order()).as(StepVerifier::create).expectError().verify(VERIFY_TIMEOUT);
    gateway.pay(order()).as(StepVerifier::create).expectError().verify(VERIFY_TIMEOUT);
    assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

    int postsWhileOpen = provider.posts();
    PayoutOrder refused = order();
    gateway
        .pay(refused)
        .as(StepVerifier::create)
        .expectError(CallNotPermittedException.class)
        .verify(VERIFY_TIMEOUT);
    assertThat(provider.posts()).as("an open breaker calls nobody").isEqualTo(postsWhileOpen);
    assertThat(PayoutGateway.leavesPayoutUnknown(new IllegalStateException())).isFalse();
  }

  @Test
  void theBreakerHalfOpensAfterItsWaitAndClosesWhenTheProviderAnswersAgain() {
    provider.behaviour(new Behaviour(0, 1.0, 0, 0, 0));
    gateway.pay(order()).as(StepVerifier::create).expectError().verify(VERIFY_TIMEOUT);
    gateway.pay(order()).as(StepVerifier::create).expectError().verify(VERIFY_TIMEOUT);
    assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

    provider.behaviour(Behaviour.HEALTHY);
    awaitState(CircuitBreaker.State.HALF_OPEN, Duration.ofSeconds(BREAKER_OPEN_SECONDS * 5));
    PayoutOrder probe = order();
    gateway
        .pay(probe)
        .as(StepVerifier::create)
        .assertNext(answer -> assertThat(answer).isInstanceOf(ProviderAnswer.Paid.class))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(provider.posts(probe.id())).isEqualTo(1);
  }

  private void awaitState(CircuitBreaker.State wanted, Duration timeout) {
    Eventually.await(
        timeout,
        "the breaker to be " + wanted,
        gateway.breaker()::getState,
        state -> state == wanted);
  }
}
