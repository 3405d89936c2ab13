package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;
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
}
