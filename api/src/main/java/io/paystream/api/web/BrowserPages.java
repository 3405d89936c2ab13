package io.paystream.api.web;

import java.net.URI;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The two browser pages shipped in the jar: the operator console ({@code /console/}) and the
 * customer wallet ({@code /app/}), static files under {@code classpath:/static}. Spring's resource
 * handler serves files by name only, so this filter answers a page's folder address with its {@code
 * index.html} and sends the address without the slash to the folder (relative links in the page
 * resolve against it). The files are public; every API call they make carries the user's bearer
 * token. Their Content-Security-Policy is {@link SecurityHeadersFilter}'s.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class BrowserPages implements WebFilter {

  /** Each page's folder, as the browser addresses it, and the file that answers it. */
  static final Map<String, String> INDEX =
      Map.of("/console/", "/console/index.html", "/app/", "/app/index.html");

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpMethod method = exchange.getRequest().getMethod();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return chain.filter(exchange);
    }
    String path = exchange.getRequest().getPath().value();
    String index = INDEX.get(path);
    if (index != null) {
      return chain.filter(exchange.mutate().request(request -> request.path(index)).build());
    }
    if (INDEX.containsKey(path + "/")) {
      exchange.getResponse().setStatusCode(HttpStatus.MOVED_PERMANENTLY);
      exchange.getResponse().getHeaders().setLocation(URI.create(path + "/"));
      return exchange.getResponse().setComplete();
    }
    return chain.filter(exchange);
  }
}
