package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** How failures that are not the caller's fault become problems. */
class ProblemExceptionHandlerTest {

  private final MockServerWebExchange exchange =
      MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/transfers"));

  @Test
  void noFreeDatabaseConnectionIsAnOverloadAnswered503NotAnInternalError() {
    Throwable poolTimeout =
        new CannotCreateTransactionException(
            "Could not open R2DBC Connection for transaction",
            new R2dbcTimeoutException("Connection acquisition timed out after 5000ms"));

    ApiException problem = ProblemExceptionHandler.toProblem(poolTimeout, exchange);

    assertThat(problem.error()).isEqualTo(ApiError.SERVICE_UNAVAILABLE);
    assertThat(problem.error().status().value()).isEqualTo(503);
    assertThat(ProblemExceptionHandler.isOverloaded(poolTimeout)).isTrue();
  }

  @Test
  void theOverloadAnswerIsA503ProblemWithRetryAfter() {
    Throwable poolTimeout =
        new CannotCreateTransactionException(
            "Could not open R2DBC Connection for transaction",
            new R2dbcTimeoutException("Connection acquisition timed out after 5000ms"));
    ProblemExceptionHandler handler =
        new ProblemExceptionHandler(new ProblemWriter(JsonMapper.builder().build()));

    StepVerifier.create(handler.handle(exchange, poolTimeout)).verifyComplete();

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
        .isEqualTo("1");
    assertThat(exchange.getResponse().getBodyAsString().block())
        .contains("\"code\":\"service_unavailable\"");
  }

  @Test
  void aStatementTimeoutIsStillAnInternalError() {
    Throwable statementTimeout = new R2dbcTimeoutException("canceling statement due to timeout");

    assertThat(ProblemExceptionHandler.toProblem(statementTimeout, exchange).error())
        .isEqualTo(ApiError.INTERNAL_ERROR);
    assertThat(ProblemExceptionHandler.isOverloaded(statementTimeout)).isFalse();
  }

  @Test
  void aLostOrRefusedDatabaseConnectionIs503WithRetryAfterNotAnInternalError() {
    List<Throwable> outages =
        List.of(
            new R2dbcNonTransientResourceException(
                "terminating connection due to administrator command", "57P01"),
            new R2dbcNonTransientResourceException("the database system is starting up", "57P03"),
            new R2dbcNonTransientResourceException(
                "cannot execute INSERT in a read-only transaction", "25006"),
            new R2dbcNonTransientResourceException("connection failure", "08006"),
            new R2dbcNonTransientResourceException(
                "Cannot exchange messages because the connection is closed"),
            new DataAccessResourceFailureException(
                "Failed to obtain R2DBC Connection",
                new R2dbcNonTransientResourceException(
                    "Cannot connect to localhost/127.0.0.1:5432",
                    new ConnectException("Connection refused"))));

    for (Throwable outage : outages) {
      assertThat(ProblemExceptionHandler.toProblem(outage, exchange).error())
          .as(outage.toString())
          .isEqualTo(ApiError.SERVICE_UNAVAILABLE);
    }
    ProblemExceptionHandler handler =
        new ProblemExceptionHandler(new ProblemWriter(JsonMapper.builder().build()));
    StepVerifier.create(handler.handle(exchange, outages.get(0))).verifyComplete();
    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
        .isEqualTo("1");
    assertThat(exchange.getResponse().getBodyAsString().block())
        .contains("\"code\":\"service_unavailable\"", "Idempotency-Key");
  }

  @Test
  void anErrorRaisedByTheDatabaseItselfIsStillAnInternalError() {
    // The ledger's triggers raise P0001; the driver reports unknown classes as "resource" errors.
    Throwable trigger = new R2dbcNonTransientResourceException("postings do not balance", "P0001");

    assertThat(ProblemExceptionHandler.toProblem(trigger, exchange).error())
        .isEqualTo(ApiError.INTERNAL_ERROR);
  }
}
