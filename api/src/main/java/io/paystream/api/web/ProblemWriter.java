package io.paystream.api.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders RFC 9457 problem+json bodies. The detail is always text this codebase wrote; an
 * exception's own message, a SQL error or a class name never reaches a client.
 */
@Component
public class ProblemWriter {

  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  private final JsonMapper json;

  public ProblemWriter(JsonMapper json) {
    this.json = json;
  }

  public String body(
      ApiError error, String detail, List<ApiException.FieldError> errors, String instance) {
    return body(error, detail, errors, instance, null);
  }

  public String body(
      ApiError error,
      String detail,
      List<ApiException.FieldError> errors,
      String instance,
      String limit) {
    return body(error, detail, errors, instance, limit, null);
  }

  private String body(
      ApiError error,
      String detail,
      List<ApiException.FieldError> errors,
      String instance,
      String limit,
      Integer leg) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "urn:paystream:problem:" + error.code());
    problem.put("title", error.title());
    problem.put("status", error.status().value());
    problem.put("detail", detail == null ? error.title() : detail);
    if (instance != null) {
      problem.put("instance", instance);
    }
    problem.put("code", error.code());
    if (!errors.isEmpty()) {
      problem.put("errors", errors);
    }
    if (limit != null) {
      problem.put("limit", limit);
    }
    if (leg != null) {
      problem.put("leg", leg);
    }
    return json.writeValueAsString(problem);
  }

  public String body(ApiException exception, String instance) {
    return body(
        exception.error(),
        exception.getMessage(),
        exception.errors(),
        instance,
        exception.limit(),
        exception.leg());
  }

  /** Writes the problem as the whole response; used by filters and security handlers. */
  public Mono<Void> write(ServerWebExchange exchange, ApiException exception) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(exception.error().status());
    HttpHeaders headers = response.getHeaders();
    headers.setContentType(PROBLEM_JSON);
    byte[] bytes =
        body(exception, exchange.getRequest().getPath().value()).getBytes(StandardCharsets.UTF_8);
    headers.setContentLength(bytes.length);
    DataBuffer buffer = response.bufferFactory().wrap(bytes);
    return response.writeWith(Mono.just(buffer));
  }
}
