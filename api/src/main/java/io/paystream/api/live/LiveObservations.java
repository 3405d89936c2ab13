package io.paystream.api.live;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation for SSE streams. It was added when a stream's request
 * lasted the stream's life (its duration said nothing about the server, and its context stayed
 * reachable: about 1.5 KB per stream). Since {@link StreamHandover} the request ends when the
 * stream is handed over, so neither holds any more; streams stay out of that metric so that it
 * means what it meant. Open streams are counted by {@code paystream.live.subscribers}, and their
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
