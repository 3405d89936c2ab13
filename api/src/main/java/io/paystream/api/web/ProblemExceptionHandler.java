package io.paystream.api.web;

import io.paystream.api.ratelimit.RateLimitedException;
import io.paystream.domain.RejectedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The one place where failures become problem+json: business rejections, validation errors,
 * malformed bodies, unknown routes, and bugs (500 with a request id to quote, nothing else).
 * Ordered before Spring Boot's own error handler so no default error page ever shows.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

  static final long OVERLOAD_RETRY_AFTER_SECONDS = 1;

  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

  private final ProblemWriter problems;

  public ProblemExceptionHandler(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(failure);
    }
    ApiException problem = toProblem(failure, exchange);
    if (problem.error() == ApiError.INTERNAL_ERROR) {
      log.error(
          "request {} {} failed (request id {})",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          exchange.getAttribute(RequestIdFilter.ATTRIBUTE),
          failure);
    }
    if (failure instanceof RateLimitedException limited) {
      limited.decision().writeHeaders(response.getHeaders());
    }
    if (problem.error() == ApiError.UNAUTHORIZED) {
      // The contract: every 401 for a missing or unusable token says how to authenticate.
      response.getHeaders().set(org.springframework.http.HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (failure instanceof MethodNotAllowedException notAllowed) {
      response.getHeaders().setAllow(notAllowed.getSupportedMethods());
    }
    if (DatabaseUnavailable.is(failure) && !isOverloaded(failure)) {
      log.warn(
          "request {} {} refused: the database is unavailable: {} (request id {})",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          failure.toString(),
          exchange.getAttribute(RequestIdFilter.ATTRIBUTE));
    }
    if (isOverloaded(failure)) {
      log.warn(
          "request {} {} refused: no database connection within the acquire time"
              + " (request id {})",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          exchange.getAttribute(RequestIdFilter.ATTRIBUTE));
    }
    String retryAfter = org.springframework.http.HttpHeaders.RETRY_AFTER;
    if (problem.error() == ApiError.SERVICE_UNAVAILABLE
        && !response.getHeaders().containsHeader(retryAfter)) {
      // Every 503 is a momentary refusal (overload, a full queue): say when to come back, unless
      // the refusing handler already knows better (the live streams' own limit).
      response.getHeaders().set(retryAfter, Long.toString(OVERLOAD_RETRY_AFTER_SECONDS));
    }
    return problems.write(exchange, problem);
  }

  static ApiException toProblem(Throwable failure, ServerWebExchange exchange) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof RejectedException rejected) {
      return ApiException.of(rejected);
    }
    if (failure instanceof RateLimitedException limited) {
      return new ApiException(
          ApiError.RATE_LIMITED,
          limited.getMessage(),
          List.of(),
          limited.decision().name().limitName());
    }
    if (hasCause(failure, DataBufferLimitException.class)) {
      return new ApiException(ApiError.PAYLOAD_TOO_LARGE, "the request body is too large");
    }
    if (failure instanceof ServerWebInputException input) {
      return fromInput(input);
    }
    if (failure instanceof UnsupportedMediaTypeStatusException) {
      return new ApiException(
          ApiError.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
    }
    if (failure instanceof MethodNotAllowedException) {
      return new ApiException(
          ApiError.METHOD_NOT_ALLOWED,
          exchange.getRequest().getMethod() + " is not supported here");
    }
    if (failure instanceof NotAcceptableStatusException) {
      return new ApiException(ApiError.NOT_ACCEPTABLE, "no acceptable representation");
    }
    if (failure instanceof AccessDeniedException) {
      return new ApiException(ApiError.FORBIDDEN, "this operation needs another role");
    }
    if (failure instanceof AuthenticationException) {
      return new ApiException(ApiError.UNAUTHORIZED, "a valid bearer token is required");
    }
    if (failure instanceof ServerErrorException missing
        && missing.getMethodParameter() != null
        && missing.getMethodParameter().hasParameterAnnotation(PathVariable.class)) {
      // Every path template declares its variables, so a "missing" one is a segment that
      // converted to nothing (a blank id): the client's mistake, not a server error.
      return ApiException.invalid(
          missing.getMethodParameter().getParameterName(), "must not be blank");
    }
    if (failure instanceof ResponseStatusException status) {
      return byStatus(status.getStatusCode());
    }
    if (isOverloaded(failure)) {
      return new ApiException(
          ApiError.SERVICE_UNAVAILABLE,
          "the service is overloaded: no database connection was free in time; retry shortly,"
              + " with the same Idempotency-Key for a money movement");
    }
    if (DatabaseUnavailable.is(failure)) {
      return new ApiException(
          ApiError.SERVICE_UNAVAILABLE,
          "the database is unreachable or the connection to it was lost; retry shortly, with the"
              + " same Idempotency-Key for a money movement, which applies it at most once");
    }
    return new ApiException(
        ApiError.INTERNAL_ERROR,
        "an internal error occurred; quote the X-Request-Id when reporting it");
  }

  private static ApiException fromInput(ServerWebInputException input) {
    JacksonException json = cause(input, JacksonException.class);
    if (json != null) {
      String field =
          json.getPath().stream()
              .map(
                  ref ->
                      ref.getPropertyName() != null
                          ? ref.getPropertyName()
                          : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."));
      if (field.isEmpty()) {
        return ApiException.invalid("body", "malformed JSON");
      }
      return ApiException.invalid(field, describe(json));
    }
    if (hasCause(input, DecodingException.class)) {
      return ApiException.invalid("body", "malformed JSON");
    }
    if (input.getMethodParameter() != null
        && input.getMethodParameter().getParameterName() != null) {
      return ApiException.invalid(
          input.getMethodParameter().getParameterName(), "has the wrong format");
    }
    return ApiException.invalid("body", "a JSON request body is required");
  }

  /** Says what was wrong with a field without echoing Jackson's message (it names our classes). */
  private static String describe(JacksonException json) {
    String name = json.getClass().getSimpleName();
    if (name.contains("UnrecognizedProperty") || name.contains("IgnoredProperty")) {
      return "is not a known property";
    }
    if (name.contains("InvalidFormat")
        || name.contains("MismatchedInput")
        || name.contains("InvalidType")
        || name.contains("Coercion")) {
      return "has the wrong type or format";
    }
    return "is not valid";
  }

  private static ApiException byStatus(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> ApiException.invalid("request", "is not valid");
      case 401 -> new ApiException(ApiError.UNAUTHORIZED, "a valid bearer token is required");
      case 403 -> new ApiException(ApiError.FORBIDDEN, "this operation needs another role");
      case 404 -> new ApiException(ApiError.NOT_FOUND, "no such resource");
      case 405 -> new ApiException(ApiError.METHOD_NOT_ALLOWED, "method not allowed");
      case 413 -> new ApiException(ApiError.PAYLOAD_TOO_LARGE, "the request body is too large");
      case 415 ->
          new ApiException(
              ApiError.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
      case 503 -> new ApiException(ApiError.SERVICE_UNAVAILABLE, "try again shortly");
      default ->
          new ApiException(
              ApiError.INTERNAL_ERROR,
              "an internal error occurred; quote the X-Request-Id when reporting it");
    };
  }

  /**
   * No database connection was free within the pool's acquire time. Overload, not a fault: 503 with
   * Retry-After. A money movement is safe to retry with its key (either nothing started, or the
   * retry replays the stored answer).
   */
  public static boolean isOverloaded(Throwable failure) {
    R2dbcTimeoutException timeout = cause(failure, R2dbcTimeoutException.class);
    return timeout != null
        && timeout.getMessage() != null
        && timeout.getMessage().contains("Connection acquisition");
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    return cause(failure, type) != null;
  }

  private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
