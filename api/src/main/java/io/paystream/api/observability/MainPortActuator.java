package io.paystream.api.observability;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the main port kept when the actuator moved to the management port (README, Operations).
 *
 * <p>The contract and every load balancer probe {@code GET /actuator/health} (and its {@code
 * liveness} and {@code readiness} groups) on the main port, without a token, and OPS users read
 * {@code /actuator/prometheus} there with their token. With {@code management.server.port} set,
 * Spring Boot serves the actuator on that port only; these two routes answer on the main port from
 * the same endpoint beans, so the status codes, bodies and security rules stay what they were. Only
 * when the ports differ: on one port the actuator serves both paths itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public class MainPortActuator {

  /** The actuator's own JSON type, which it answers unless the client asks for plain JSON. */
  static final MediaType ACTUATOR_JSON =
      MediaType.parseMediaType("application/vnd.spring-boot.actuator.v3+json");

  @Bean
  RouterFunction<ServerResponse> mainPortHealthAndMetrics(
      ReactiveHealthEndpointWebExtension health, PrometheusScrapeEndpoint prometheus) {
    return RouterFunctions.route()
        .GET("/actuator/health", request -> health(health, request, new String[0]))
        .GET(
            "/actuator/health/{*path}",
            request -> health(health, request, segments(request.pathVariable("path"))))
        .GET("/actuator/prometheus", request -> scrape(prometheus))
        .build();
  }

  private static Mono<ServerResponse> health(
      ReactiveHealthEndpointWebExtension health, ServerRequest request, String[] path) {
    return request
        .principal()
        .map(MainPortActuator::securityContext)
        .defaultIfEmpty(SecurityContext.NONE)
        .flatMap(
            caller -> health.health(ApiVersion.LATEST, WebServerNamespace.SERVER, caller, path))
        .flatMap(
            response -> {
              ServerResponse.BodyBuilder answer =
                  ServerResponse.status(response.getStatus()).contentType(jsonType(request));
              return response.getBody() == null
                  ? answer.build()
                  : answer.bodyValue(response.getBody());
            });
  }

  /**
   * The caller as the actuator's own handler would present it, so that {@code show-details:
   * when-authorized} with {@code roles: OPS} shows the components to an OPS token here too.
   */
  private static SecurityContext securityContext(Principal principal) {
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        String authority = role.startsWith("ROLE_") ? role : "ROLE_" + role;
        return principal instanceof Authentication authentication
            && authentication.getAuthorities().stream()
                .anyMatch(granted -> authority.equals(granted.getAuthority()));
      }
    };
  }

  private static String[] segments(String path) {
    return Arrays.stream(path.split("/"))
        .filter(segment -> !segment.isEmpty())
        .toArray(String[]::new);
  }

  /** As the actuator negotiates: its own type by default, plain JSON to a client that wants it. */
  private static MediaType jsonType(ServerRequest request) {
    List<MediaType> accepted = request.headers().accept();
    boolean wantsPlainJson =
        !accepted.isEmpty()
            && accepted.stream().noneMatch(type -> type.isCompatibleWith(ACTUATOR_JSON))
            && accepted.stream()
                .anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
    return wantsPlainJson ? MediaType.APPLICATION_JSON : ACTUATOR_JSON;
  }

  /**
   * The text format a stock Prometheus asks for. Rendering walks every meter, so it runs off the
   * event loop, as the actuator runs it.
   */
  private static Mono<ServerResponse> scrape(PrometheusScrapeEndpoint prometheus) {
    PrometheusOutputFormat format = PrometheusOutputFormat.CONTENT_TYPE_004;
    return Mono.fromCallable(() -> prometheus.scrape(format, null))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            (WebEndpointResponse<byte[]> response) ->
                ServerResponse.status(HttpStatus.valueOf(response.getStatus()))
                    .contentType(MediaType.asMediaType(format.getProducedMimeType()))
                    .bodyValue(response.getBody()));
  }
}
