package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.transaction.CannotCreateTransactionException;

/** How failures that are not the caller's fault become problems. */
class ProblemExceptionHandlerTest {

  private final MockServerWebExchange exchange =
      MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/transfers"));

  @Test
  void noFreeDatabaseConnectionIsAnOverloadAnswered503NotAnInternalError() {
    Throwable poolTimeout = new CannotCreateTransactionException(
        "Could not open R2DBC Connection for transaction",
        new R2dbcTimeoutException("Connection acquisition timed out after 5000ms"));

    ApiException problem = ProblemExceptionHandler.toProblem(poolTimeout, exchange);

    assertThat(problem.error()).isEqualTo(ApiError.SERVICE_UNAVAILABLE);
    assertThat(problem.error().status().value()).isEqualTo(503);
    assertThat(ProblemExceptionHandler.isOverloaded(poolTimeout)).isTrue();
  }

  @Test
  void aStatementTimeoutIsStillAnInternalError() {
    Throwable statementTimeout = new R2dbcTimeoutException("canceling statement due to timeout");

    assertThat(ProblemExceptionHandler.toProblem(statementTimeout, exchange).error())
        .isEqualTo(ApiError.INTERNAL_ERROR);
    assertThat(ProblemExceptionHandler.isOverloaded(statementTimeout)).isFalse();
  }
}
