package io.paystream.api.security;

import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ProblemWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Spring's CORS filter with one difference: a cross-origin request the {@link CorsPolicy} refuses
 * gets 403 problem+json ({@code forbidden}), like every other error, instead of an empty body.
 * Preflight requests end here, as in Spring's filter.
 */
final class ProblemCorsFilter implements WebFilter {

  private final CorsConfigurationSource source;
  private final CorsProcessor processor = new DefaultCorsProcessor();
  private final ProblemWriter problems;

  ProblemCorsFilter(CorsConfigurationSource source, ProblemWriter problems) {
    this.source = source;
    this.problems = problems;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    CorsConfiguration config = source.getCorsConfiguration(exchange);
    if (!processor.process(config, exchange)) {
      return problems.write(
          exchange,
          new ApiException(ApiError.FORBIDDEN, "requests from this origin are not allowed"));
    }
    return CorsUtils.isPreFlightRequest(exchange.getRequest())
        ? Mono.empty()
        : chain.filter(exchange);
  }
}
