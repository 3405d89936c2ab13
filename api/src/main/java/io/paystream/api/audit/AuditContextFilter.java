package io.paystream.api.audit;

import io.paystream.api.web.ClientAddress;
import io.paystream.api.web.RequestIdFilter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Puts the request id and client address into the Reactor context for {@link AuditTrail}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class AuditContextFilter implements WebFilter {

  private final ClientAddress clientAddress;

  public AuditContextFilter(ClientAddress clientAddress) {
    this.clientAddress = clientAddress;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    AuditContext context =
        new AuditContext(
            exchange.getAttribute(RequestIdFilter.ATTRIBUTE),
            clientAddress.of(exchange.getRequest()));
    return chain.filter(exchange).contextWrite(ctx -> ctx.put(AuditContext.class, context));
  }
}
