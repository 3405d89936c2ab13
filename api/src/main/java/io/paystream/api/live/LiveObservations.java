package io.paystream.api.live;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation for SSE streams. Its duration would be the stream's
 * life, which says nothing about the server, and its context (key values, three maps, the
 * observation) stayed reachable for as long as the stream was open: about 1.5 KB for each of up to
 * 10,000 streams. Open streams are counted by {@code paystream.live.subscribers}, and their
 * deliveries timed by {@code paystream.events.delivery.lag}.
 */
@Configuration(proxyBeanMethods = false)
class LiveObservations {

  /** The stream paths of {@link LiveController}: every one ends in {@code /events}. */
  static boolean isStream(ServerHttpRequest request) {
    return HttpMethod.GET.equals(request.getMethod())
        && request.getPath().value().endsWith("/events");
  }

  @Bean
  ObservationPredicate noStreamRequestObservations() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext server
            && isStream(server.getCarrier()));
  }
}
