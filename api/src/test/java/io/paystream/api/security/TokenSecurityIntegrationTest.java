package io.paystream.api.security;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.paystream.api.ApiProperties;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Bearer-token verification (CONTRACT.md, Conventions: Authentication): every token that is not a
 * live HS256 token of ours, for our audience, with the times we would have written, about the user
 * whose live login it names, is refused the same way; the public endpoints need no token at all.
 */
class TokenSecurityIntegrationTest extends ApiIntegrationTest {

  private static final String TEST_SECRET = "integration-test-secret-0123456789abcdef";
  private static final String OTHER_SECRET = "some-other-service-secret-0123456789abcdef";
  private static final String PROTECTED = "/api/v1/me";

  @Autowired private ApiProperties properties;

  @Test
  void aRequestWithoutATokenIsUnauthorized() {
    assertUnauthorized(http.get().uri(PROTECTED).exchange().expectBody().returnResult());
  }

  @Test
  void aGarbageTokenIsUnauthorized() {
    assertUnauthorized(withToken("garbage"));
    assertUnauthorized(withToken("eyJhbGciOiJIUzI1NiJ9.not-json.sig"));
  }

  @Test
  void aTokenWithAlgorithmNoneIsUnauthorized() {
    User user = client.newCustomer();
    String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    long now = Instant.now().getEpochSecond();
    String claims =
        base64Url(
            "{\"iss\":\"paystream\",\"aud\":\"paystream-api\",\"sub\":\""
                + user.id()
                + "\",\"iat\":"
                + now
                + ",\"exp\":"
                + (now + 600)
                + ",\"jti\":\""
                + UUID.randomUUID()
                + "\",\"roles\":[\"OPS\"]}");

    assertUnauthorized(withToken(header + "." + claims + "."));
  }

  @Test
  void aTokenSignedWithAnotherKeyIsUnauthorized() {
    User user = client.newCustomer();

    assertUnauthorized(withToken(sign(OTHER_SECRET, valid(user.id(), sidOf(user)).build())));
  }

  @Test
  void aSelfSignedTokenWithTheTestKeyIsAcceptedSoTheRefusalsBelowAreAboutOneClaimEach() {
    User user = client.newCustomer();

    http.get()
        .uri(PROTECTED)
        .headers(h -> h.setBearerAuth(sign(TEST_SECRET, valid(user.id(), sidOf(user)).build())))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void anExpiredTokenIsUnauthorized() {
    User user = client.newCustomer();
    Instant now = Instant.now();

    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(user.id(), sidOf(user))
                    .issueTime(Date.from(now.minusSeconds(900)))
                    .expirationTime(Date.from(now.minusSeconds(120)))
                    .build())));
  }

  @Test
  void aTokenIssuedAnHourAheadWithATenYearExpiryIsUnauthorized() {
    User user = client.newCustomer();
    Instant issued = Instant.now().plus(Duration.ofHours(1));

    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(user.id(), sidOf(user))
                    .issueTime(Date.from(issued))
                    .expirationTime(Date.from(issued.plus(Duration.ofDays(3650))))
                    .build())));
  }

  @Test
  void aTokenIssuedFurtherAheadThanTheClockSkewIsUnauthorized() {
    User user = client.newCustomer();
    Instant issued = Instant.now().plusSeconds(properties.clockSkewSeconds() + 60);

    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(user.id(), sidOf(user))
                    .issueTime(Date.from(issued))
                    .expirationTime(Date.from(issued.plusSeconds(600)))
                    .build())));
  }

  @Test
  void aTokenLivingLongerThanAnAccessTokenIsUnauthorized() {
    User user = client.newCustomer();
    Instant now = Instant.now();

    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(user.id(), sidOf(user))
                    .issueTime(Date.from(now))
                    .expirationTime(
                        Date.from(now.plusSeconds(properties.accessTokenTtlSeconds() + 60)))
                    .build())));
  }

  /** Spring's Jwt refuses to exist with exp not after iat; this keeps that a 401. */
  @Test
  void aTokenThatExpiresBeforeItIsIssuedIsUnauthorized() {
    User user = client.newCustomer();
    Instant now = Instant.now();

    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(user.id(), sidOf(user))
                    .issueTime(Date.from(now.plusSeconds(properties.clockSkewSeconds() / 2)))
                    .expirationTime(Date.from(now.plusSeconds(5)))
                    .build())));
  }

  @Test
  void aTokenFromAnotherIssuerIsUnauthorized() {
    User user = client.newCustomer();

    assertUnauthorized(
        withToken(sign(TEST_SECRET, valid(user.id(), sidOf(user)).issuer("someone-else").build())));
  }

  @Test
  void aTokenForAnotherAudienceIsUnauthorized() {
    User user = client.newCustomer();

    assertUnauthorized(
        withToken(
            sign(TEST_SECRET, valid(user.id(), sidOf(user)).audience("another-api").build())));
  }

  @Test
  void aTokenWhoseSubjectIsNotAUserIdIsUnauthorized() {
    assertUnauthorized(
        withToken(
            sign(
                TEST_SECRET,
                valid(UUID.randomUUID(), UUID.randomUUID().toString()).subject("admin").build())));
  }

  @Test
  void aTokenWithoutAnIdIsUnauthorized() {
    User user = client.newCustomer();

    assertUnauthorized(
        withToken(sign(TEST_SECRET, valid(user.id(), sidOf(user)).jwtID(null).build())));
  }

  @Test
  void aValidlySignedTokenForAUserThatDoesNotExistIsUnauthorized() {
    EntityExchangeResult<byte[]> result =
        withToken(
            sign(TEST_SECRET, valid(UUID.randomUUID(), UUID.randomUUID().toString()).build()));

    assertUnauthorized(result);
  }

  @Test
  void aTokenNamingAnotherUsersLiveLoginIsUnauthorizedWhetherThatLoginIsRememberedOrNot() {
    User alice = client.newCustomer();
    User mallory = client.newCustomer();
    String alicesLoginAsMallory = sign(TEST_SECRET, valid(mallory.id(), sidOf(alice)).build());

    // Alice's login has not been used yet: its owner is read from the database.
    assertUnauthorized(withToken(alicesLoginAsMallory));
    http.get()
        .uri(PROTECTED)
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isOk();
    // Now it is remembered as active, and still only Alice's.
    assertUnauthorized(withToken(alicesLoginAsMallory));
  }

  @Test
  void aTokenForAUserThatDoesNotExistNamingSomeonesLiveLoginReachesNoHandler() {
    User user = client.newCustomer();
    String nobody = sign(TEST_SECRET, valid(UUID.randomUUID(), sidOf(user)).build());

    // Not /me, which looks its user up itself: these two would list nothing and fail on the
    // account's foreign key.
    assertUnauthorized(
        http.get()
            .uri("/api/v1/accounts")
            .headers(h -> h.setBearerAuth(nobody))
            .exchange()
            .expectBody()
            .returnResult());
    assertUnauthorized(
        http.post()
            .uri("/api/v1/accounts")
            .headers(h -> h.setBearerAuth(nobody))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("currency", "EUR"))
            .exchange()
            .expectBody()
            .returnResult());
  }

  @Test
  void registrationNeedsNoToken() {
    EntityExchangeResult<byte[]> invalid = post("/api/v1/auth/register", Map.of());
    assertPublicRefusal(invalid, HttpStatus.BAD_REQUEST, "validation_failed");

    EntityExchangeResult<byte[]> created =
        post(
            "/api/v1/auth/register",
            Map.of(
                "email",
                "public-" + UUID.randomUUID() + "@example.com",
                "password",
                "a-long-enough-password",
                "name",
                "Public"));
    assertThat(created.getStatus()).isEqualTo(HttpStatus.CREATED);
  }

  @Test
  void loginNeedsNoToken() {
    assertPublicRefusal(
        post("/api/v1/auth/login", Map.of()), HttpStatus.BAD_REQUEST, "validation_failed");
    assertPublicRefusal(
        post(
            "/api/v1/auth/login",
            Map.of(
                "email",
                "nobody-" + UUID.randomUUID() + "@example.com",
                "password",
                "a-long-enough-password")),
        HttpStatus.UNAUTHORIZED,
        "invalid_credentials");
    assertThat(
            post("/api/v1/auth/login", Map.of("email", OPS_EMAIL, "password", OPS_PASSWORD))
                .getStatus())
        .isEqualTo(HttpStatus.OK);
  }

  @Test
  void refreshNeedsNoToken() {
    assertPublicRefusal(
        post("/api/v1/auth/refresh", Map.of()), HttpStatus.BAD_REQUEST, "validation_failed");
    assertPublicRefusal(
        post("/api/v1/auth/refresh", Map.of("refreshToken", "unknown-token")),
        HttpStatus.UNAUTHORIZED,
        "invalid_refresh_token");
  }

  @Test
  void healthAndItsProbesAreUpWithoutAToken() {
    for (String path :
        List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
      JsonNode health =
          json(http.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult());
      assertThat(health.get("status").asString()).as(path).isEqualTo("UP");
    }
  }

  @Test
  void theOpenApiDocumentIsPublicAndDescribesTransfersAndAccounts() {
    EntityExchangeResult<byte[]> result =
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult();

    assertThat(
            result
                .getResponseHeaders()
                .getContentType()
                .isCompatibleWith(MediaType.APPLICATION_JSON))
        .isTrue();
    JsonNode document = json(result);
    assertThat(document.get("openapi").asString()).startsWith("3.");
    assertThat(document.get("paths").propertyNames())
        .contains("/api/v1/transfers", "/api/v1/accounts");
  }

  @Test
  void theOpenApiDocumentNeedsNoToken() {
    EntityExchangeResult<byte[]> result =
        http.get().uri("/v3/api-docs").exchange().expectBody().returnResult();

    assertThat(result.getStatus().value()).isNotIn(401, 403);
  }

  @Test
  void swaggerUiHtmlAnswersTheUiOrARedirectToItWithoutAToken() {
    EntityExchangeResult<byte[]> result =
        http.get().uri("/swagger-ui.html").exchange().expectBody().returnResult();

    HttpStatus status = HttpStatus.valueOf(result.getStatus().value());
    if (status.is3xxRedirection()) {
      assertThat(result.getResponseHeaders().getFirst(HttpHeaders.LOCATION)).contains("swagger-ui");
    } else {
      assertThat(status).isEqualTo(HttpStatus.OK);
    }
  }

  @Test
  void theSwaggerUiPageThatSwaggerUiHtmlLeadsToLoads() {
    EntityExchangeResult<byte[]> result =
        http.get().uri("/swagger-ui.html").exchange().expectBody().returnResult();
    String location = result.getResponseHeaders().getFirst(HttpHeaders.LOCATION);
    String page = location == null ? "/swagger-ui.html" : location;

    http.get()
        .uri(page)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_HTML);
  }

  private EntityExchangeResult<byte[]> withToken(String token) {
    return http.get()
        .uri(PROTECTED)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> post(String path, Map<String, String> body) {
    return http.post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static void assertUnauthorized(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .startsWith("Bearer");
    assertThat(result.getResponseHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo("unauthorized");
    assertThat(problem.get("status").asInt()).isEqualTo(401);
  }

  private static void assertPublicRefusal(
      EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
    assertThat(result.getStatus()).isEqualTo(status);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo(code).isNotEqualTo("unauthorized");
  }

  /** The login (refresh-token family) of a real session, which a valid token must name. */
  private static String sidOf(User user) {
    String payload = user.token().split("\\.")[1];
    String json =
        new String(
            java.util.Base64.getUrlDecoder().decode(payload),
            java.nio.charset.StandardCharsets.UTF_8);
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(json)
        .get("sid")
        .asString();
  }

  @Test
  void aCorrectlySignedTokenNamingNoLiveLoginIsUnauthorized() {
    User user = client.newCustomer();

    assertUnauthorized(
        withToken(sign(TEST_SECRET, valid(user.id(), UUID.randomUUID().toString()).build())));
  }

  /** Claims exactly like the API's own access tokens, so each test changes one thing only. */
  private static JWTClaimsSet.Builder valid(UUID subject, String sid) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer("paystream")
        .audience("paystream-api")
        .subject(subject.toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .jwtID(UUID.randomUUID().toString())
        .claim("roles", List.of("CUSTOMER"))
        .claim("sid", sid);
  }

  private static String sign(String secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError("cannot sign a test token", e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
