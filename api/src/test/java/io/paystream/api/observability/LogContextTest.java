package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.paystream.api.web.LogContext;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The ids follow a request's signals onto other threads, and leave no trace on them after. */
class LogContextTest {

  @BeforeAll
  static void propagateAsTheApplicationDoes() {
    LogContext.register(ContextRegistry.getInstance());
    // What spring.reactor.context-propagation=auto does at start-up.
    Hooks.enableAutomaticContextPropagation();
  }

  @Test
  void theRequestIdIsInTheMdcOnTheThreadThatDeliversTheNextSignal() {
    String caller = Thread.currentThread().getName();

    Mono.delay(Duration.ofMillis(10), Schedulers.parallel())
        .map(tick -> Thread.currentThread().getName() + " " + MDC.get(LogContext.REQUEST_ID))
        .contextWrite(context -> context.put(LogContext.REQUEST_ID, "request-1"))
        .as(StepVerifier::create)
        .assertNext(
            seen -> {
              assertThat(seen).endsWith(" request-1");
              assertThat(seen).doesNotStartWith(caller + " ");
            })
        .verifyComplete();
  }

  @Test
  void aSignalOutsideTheRequestSeesNoIds() {
    Mono.delay(Duration.ofMillis(10), Schedulers.parallel())
        .map(tick -> String.valueOf(MDC.get(LogContext.USER_ID)))
        .as(StepVerifier::create)
        .expectNext("null")
        .verifyComplete();
    assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
  }
}
