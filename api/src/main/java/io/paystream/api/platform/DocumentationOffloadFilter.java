package io.paystream.api.platform;

import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The OpenAPI document and Swagger UI do blocking work: springdoc scans the class path when it
 * builds the document, and the UI's files are read from a jar. Both are moved off the event loop —
 * the handling and every read of the response body — onto the bounded elastic pool, so a request
 * for documentation never stalls a money request sharing the loop.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class DocumentationOffloadFilter implements WebFilter {

  private static final String[] PREFIXES = {"/v3/api-docs", "/swagger-ui", "/webjars/"};

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    for (String prefix : PREFIXES) {
      if (path.startsWith(prefix)) {
        ServerWebExchange offloaded =
            exchange
                .mutate()
                .response(
                    new ServerHttpResponseDecorator(exchange.getResponse()) {
                      @Override
                      public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                        return super.writeWith(
                            Flux.from(body).subscribeOn(Schedulers.boundedElastic()));
                      }
                    })
                .build();
        return chain.filter(offloaded).subscribeOn(Schedulers.boundedElastic());
      }
    }
    return chain.filter(exchange);
  }
}
