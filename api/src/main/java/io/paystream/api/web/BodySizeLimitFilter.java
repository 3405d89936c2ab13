package io.paystream.api.web;

import io.paystream.api.ApiProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a declared body over {@code requestBodyBytesMax} with 413 before reading it. Bodies
 * without a length (chunked) are caught by the codec's in-memory limit, set to the same value.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class BodySizeLimitFilter implements WebFilter {

  private final ProblemWriter problems;
  private final long max;

  public BodySizeLimitFilter(ProblemWriter problems, ApiProperties properties) {
    this.problems = problems;
    this.max = properties.requestBodyBytesMax();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    if (length > max) {
      return problems.write(
          exchange,
          new ApiException(
              ApiError.PAYLOAD_TOO_LARGE, "the request body is larger than " + max + " bytes"));
    }
    return chain.filter(exchange);
  }
}
