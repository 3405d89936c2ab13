package io.paystream.api.security;

import io.paystream.api.ApiProperties;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ProblemWriter;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import reactor.core.publisher.Mono;

/**
 * Stateless bearer-token security. Public: registration, login, refresh, health, the OpenAPI
 * document and Swagger UI, and everything on the management port (health and metrics, bound to
 * loopback by default). OPS-only: the ops endpoints, freeze/unfreeze, metrics on the main port.
 * Everything else needs a valid access token. Failures answer problem+json, 401 with {@code
 * WWW-Authenticate: Bearer}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

  /**
   * A verified signature and valid claims are not enough: the token's login (its refresh-token
   * family, claim {@code sid}) must not be revoked, and must be its subject's. Logout and
   * refresh-token reuse revoke a family, and the contract says every token of that login dies with
   * it, access tokens too. Binding the login to the subject means a token is served only as a user
   * who really signed in, never as someone else or as a user id that does not exist (a login's
   * owner is an existing user). {@link LoginSessions} answers repeat callers from memory and learns
   * of revocations through PostgreSQL notifications.
   */
  @Bean
  ReactiveJwtDecoder jwtDecoder(TokenService tokens, LoginSessions sessions) {
    ReactiveJwtDecoder signatureAndClaims = tokens.decoder();
    return token ->
        signatureAndClaims
            .decode(token)
            .flatMap(
                jwt -> {
                  UUID family = sessionOf(jwt);
                  if (family == null) {
                    return Mono.error(new BadJwtException("the token names no login"));
                  }
                  // The subject is a canonical UUID: TokenService's validator refused anything
                  // else.
                  UUID subject = UUID.fromString(jwt.getSubject());
                  return sessions
                      .activeOwner(family)
                      .filter(subject::equals)
                      .map(owner -> jwt)
                      .switchIfEmpty(
                          Mono.error(
                              () ->
                                  new BadJwtException(
                                      "the login of this token was revoked or is not its subject's")));
                });
  }

  private static UUID sessionOf(Jwt jwt) {
    try {
      String sid = jwt.getClaimAsString(TokenService.SESSION_CLAIM);
      return sid == null ? null : UUID.fromString(sid);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * No security observations at all, not only none recorded (management.observations.enable already
   * drops them): with this, the filter chain is not wrapped in an observation decorator, which
   * allocated three objects per filter per request and kept them for as long as an SSE stream stays
   * open (about 1 KB per stream).
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * Spring Security's firewall refuses URLs and headers that could confuse path matching or logs
   * (an encoded '%', '/' or '.', a backslash, control characters) before any other filter; its
   * answer is 400 problem+json {@code malformed_request} here, not an empty body.
   */
  @Bean
  ServerExchangeRejectedHandler exchangeRejectedHandler(ProblemWriter problems) {
    return (exchange, rejected) ->
        problems.write(
            exchange,
            new ApiException(
                ApiError.MALFORMED_REQUEST,
                "the request URL or a header holds characters this API"
                    + " refuses: an encoded '%', '/', '\\' or '.', or a control character"));
  }

  @Bean
  SecurityWebFilterChain apiSecurity(
      ServerHttpSecurity http, ProblemWriter problems, ApiProperties properties) {
    ServerAuthenticationEntryPoint unauthorized =
        (exchange, failure) -> {
          exchange
              .getResponse()
              .getHeaders()
              .set(
                  HttpHeaders.WWW_AUTHENTICATE,
                  failure
                          instanceof
                          org.springframework.security.oauth2.server.resource
                              .InvalidBearerTokenException
                      ? "Bearer error=\"invalid_token\""
                      : "Bearer");
          return problems.write(
              exchange,
              new ApiException(ApiError.UNAUTHORIZED, "a valid bearer token is required"));
        };
    ServerAccessDeniedHandler forbidden =
        (exchange, denied) ->
            problems.write(
                exchange,
                new ApiException(ApiError.FORBIDDEN, "this operation needs the OPS role"));
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .cors(ServerHttpSecurity.CorsSpec::disable)
        .addFilterAt(
            new ProblemCorsFilter(CorsPolicy.source(properties.corsAllowedOrigins()), problems),
            SecurityWebFiltersOrder.CORS)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(
            auth ->
                auth
                    // Health and metrics on the management port: see ManagementServer.
                    .matchers(ManagementServer.REQUESTS)
                    .permitAll()
                    .pathMatchers(
                        HttpMethod.POST,
                        "/api/v1/auth/register",
                        "/api/v1/auth/login",
                        "/api/v1/auth/refresh")
                    .permitAll()
                    .pathMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    // A statement download link is its own credential (HMAC-signed, expiring).
                    .pathMatchers(HttpMethod.GET, "/api/v1/statements/download")
                    .permitAll()
                    .pathMatchers(
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/webjars/**")
                    .permitAll()
                    // The console and the wallet: static files; their API calls are checked.
                    .pathMatchers(HttpMethod.GET, "/console/**", "/app/**")
                    .permitAll()
                    .pathMatchers(HttpMethod.HEAD, "/console/**", "/app/**")
                    .permitAll()
                    .pathMatchers("/api/v1/ops/**")
                    .hasRole(CurrentUser.OPS)
                    .pathMatchers(
                        HttpMethod.POST, "/api/v1/accounts/*/freeze", "/api/v1/accounts/*/unfreeze")
                    .hasRole(CurrentUser.OPS)
                    .pathMatchers("/actuator/**")
                    .hasRole(CurrentUser.OPS)
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden)
                    .jwt(
                        jwt ->
                            jwt.jwtAuthenticationConverter(SecurityConfiguration::authentication)))
        .exceptionHandling(
            handling ->
                handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .build();
  }

  private static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
    List<String> roles = jwt.getClaimAsStringList(TokenService.ROLES_CLAIM);
    Collection<GrantedAuthority> authorities =
        roles == null
            ? List.of()
            : roles.stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
    return Mono.just(new JwtAuthenticationToken(jwt, authorities, jwt.getSubject()));
  }
}
