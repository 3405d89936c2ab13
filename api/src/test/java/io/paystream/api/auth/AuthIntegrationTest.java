package io.paystream.api.auth;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CONTRACT.md, Auth: registration, login, the caller's profile, refresh rotation and logout. */
class AuthIntegrationTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = PaystreamClient.PASSWORD;

  @Test
  void registrationAnswersCreatedWithTheUserAndTheEmailInLowerCase() {
    String local = "Mixed.Case-" + UUID.randomUUID();
    EntityExchangeResult<byte[]> result =
        register(local + "@Example.COM", PASSWORD, "Ada Lovelace");

    assertThat(result.getStatus()).isEqualTo(HttpStatus.CREATED);
    JsonNode body = json(result);
    assertThat(body.propertyNames()).containsExactlyInAnyOrder("userId", "email", "name");
    assertThat(UUID.fromString(body.get("userId").asString()).version()).isEqualTo(7);
    assertThat(body.get("email").asString()).isEqualTo(local.toLowerCase() + "@example.com");
    assertThat(body.get("name").asString()).isEqualTo("Ada Lovelace");
    String raw = new String(result.getResponseBody(), StandardCharsets.UTF_8);
    assertThat(raw)
        .doesNotContain(PASSWORD)
        .doesNotContainIgnoringCase("hash")
        .doesNotContainIgnoringCase("password")
        .doesNotContain("$2a$")
        .doesNotContain("$2b$");
  }

  @Test
  void registeringAnEmailTwiceIsRefusedAsTaken() {
    String email = freshEmail();
    assertThat(register(email, PASSWORD, "First").getStatus()).isEqualTo(HttpStatus.CREATED);

    assertProblem(register(email, PASSWORD, "Second"), HttpStatus.CONFLICT, "email_taken");
  }

  @Test
  void registeringAnEmailThatDiffersOnlyInCaseIsRefusedAsTaken() {
    String email = freshEmail();
    assertThat(register(email, PASSWORD, "First").getStatus()).isEqualTo(HttpStatus.CREATED);

    assertProblem(
        register(email.toUpperCase(), PASSWORD, "Second"), HttpStatus.CONFLICT, "email_taken");
  }

  @Test
  void passwordsOfElevenAndOfOneHundredTwentyNineCharactersAreRefused() {
    for (int length : new int[] {11, 129}) {
      JsonNode problem =
          assertProblem(
              register(freshEmail(), "p".repeat(length), "Short"),
              HttpStatus.BAD_REQUEST,
              "validation_failed");
      assertThat(fields(problem))
          .as("password of %d characters", length)
          .containsExactly("password");
    }
  }

  @Test
  void aPasswordOfTwelveCharactersIsAccepted() {
    assertPasswordAccepted("p".repeat(12));
  }

  @Test
  void aPasswordOfOneHundredTwentyEightCharactersIsAccepted() {
    assertPasswordAccepted("p".repeat(128));
  }

  @Test
  void twoLongPasswordsThatShareTheirFirstSeventyTwoBytesAreNotInterchangeable() {
    String prefix = "x".repeat(72);
    String email = freshEmail();
    assertThat(register(email, prefix + "-first", "Long Password").getStatus())
        .isEqualTo(HttpStatus.CREATED);

    assertProblem(login(email, prefix + "-other"), HttpStatus.UNAUTHORIZED, "invalid_credentials");
    assertThat(login(email, prefix + "-first").getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void anInvalidEmailIsRefusedNamingTheEmailField() {
    for (String email :
        List.of(
            "no-at-sign.example.com",
            "two@@example.com",
            "no-dot@example",
            "spaces in@example.com")) {
      JsonNode problem =
          assertProblem(
              register(email, PASSWORD, "Bad Email"), HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(fields(problem)).as(email).containsExactly("email");
    }
  }

  @Test
  void registrationWithoutAnyFieldListsEveryMissingField() {
    EntityExchangeResult<byte[]> result =
        http.post()
            .uri("/api/v1/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{}")
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
    assertThat(fields(problem)).containsExactlyInAnyOrder("email", "password", "name");
    problem
        .get("errors")
        .forEach(error -> assertThat(error.get("message").asString()).isNotBlank());
  }

  @Test
  void loginAnswersABearerTokenPair() {
    String email = registered();

    EntityExchangeResult<byte[]> result = login(email, PASSWORD);

    assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
    JsonNode pair = json(result);
    assertThat(pair.get("accessToken").asString()).isNotBlank();
    assertThat(pair.get("refreshToken").asString())
        .isNotBlank()
        .isNotEqualTo(pair.get("accessToken").asString());
    assertThat(pair.get("tokenType").asString()).isEqualTo("Bearer");
    assertThat(pair.get("expiresIn").isIntegralNumber()).isTrue();
    assertThat(pair.get("expiresIn").asLong()).isPositive();
  }

  @Test
  void loginAcceptsTheEmailInAnyCase() {
    String email = registered();

    assertThat(login(email.toUpperCase(), PASSWORD).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGetTheSameInvalidCredentialsAnswer() {
    String email = registered();

    JsonNode wrongPassword =
        assertProblem(
            login(email, PASSWORD + "-wrong"), HttpStatus.UNAUTHORIZED, "invalid_credentials");
    JsonNode unknownEmail =
        assertProblem(
            login(freshEmail(), PASSWORD), HttpStatus.UNAUTHORIZED, "invalid_credentials");

    assertThat(unknownEmail.propertyNames())
        .containsExactlyInAnyOrderElementsOf(wrongPassword.propertyNames());
    assertThat(unknownEmail).isEqualTo(wrongPassword);
  }

  @Test
  void meDescribesTheCallerAsACustomer() {
    String email = freshEmail();
    UUID userId =
        UUID.fromString(json(register(email, PASSWORD, "Grace Hopper")).get("userId").asString());
    String token = tokens(email).get("accessToken").asString();

    JsonNode me =
        json(
            http.get()
                .uri("/api/v1/me")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());

    assertThat(me.propertyNames()).containsExactlyInAnyOrder("userId", "email", "name", "roles");
    assertThat(me.get("userId").asString()).isEqualTo(userId.toString());
    assertThat(me.get("email").asString()).isEqualTo(email);
    assertThat(me.get("name").asString()).isEqualTo("Grace Hopper");
    assertThat(me.get("roles").isArray()).isTrue();
    assertThat(me.get("roles").values()).extracting(JsonNode::asString).containsExactly("CUSTOMER");
  }

  @Test
  void refreshAnswersANewPairThatWorks() {
    JsonNode first = tokens(registered());

    EntityExchangeResult<byte[]> result = refresh(first.get("refreshToken").asString());

    assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
    JsonNode second = json(result);
    assertThat(second.get("tokenType").asString()).isEqualTo("Bearer");
    assertThat(second.get("expiresIn").asLong()).isPositive();
    assertThat(second.get("refreshToken").asString())
        .isNotBlank()
        .isNotEqualTo(first.get("refreshToken").asString());
    assertThat(second.get("accessToken").asString())
        .isNotBlank()
        .isNotEqualTo(first.get("accessToken").asString());
    assertThat(me(second.get("accessToken").asString())).isEqualTo(HttpStatus.OK);
    assertThat(refresh(second.get("refreshToken").asString()).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void presentingASpentRefreshTokenRevokesTheWholeLogin() {
    JsonNode first = tokens(registered());
    String spent = first.get("refreshToken").asString();
    JsonNode second = json(refresh(spent));

    assertProblem(refresh(spent), HttpStatus.UNAUTHORIZED, "refresh_token_reused");

    JsonNode successorRefused = json(refresh(second.get("refreshToken").asString()));
    assertThat(successorRefused.get("status").asInt()).isEqualTo(401);
    assertThat(successorRefused.get("code").asString())
        .isIn("refresh_token_reused", "invalid_refresh_token");
  }

  @Test
  void presentingASpentRefreshTokenAlsoRevokesTheAccessTokensOfThatLogin() {
    JsonNode first = tokens(registered());
    String spent = first.get("refreshToken").asString();
    JsonNode second = json(refresh(spent));
    assertThat(me(second.get("accessToken").asString())).isEqualTo(HttpStatus.OK);

    assertProblem(refresh(spent), HttpStatus.UNAUTHORIZED, "refresh_token_reused");

    assertThat(me(second.get("accessToken").asString())).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(me(first.get("accessToken").asString())).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void aRefreshTokenNobodyIssuedIsRefused() {
    assertProblem(
        refresh("not-a-refresh-token-" + UUID.randomUUID()),
        HttpStatus.UNAUTHORIZED,
        "invalid_refresh_token");
  }

  @Test
  void logoutAnswersNoContentAndItsRefreshTokenNoLongerRefreshes() {
    JsonNode pair = tokens(registered());
    String refreshToken = pair.get("refreshToken").asString();

    http.post()
        .uri("/api/v1/auth/logout")
        .headers(h -> h.setBearerAuth(pair.get("accessToken").asString()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", refreshToken))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();

    JsonNode refused = json(refresh(refreshToken));
    assertThat(refused.get("status").asInt()).isEqualTo(401);
    assertThat(refused.get("code").asString())
        .isIn("invalid_refresh_token", "refresh_token_reused");
  }

  @Test
  void logoutRevokesTheAccessTokenOfThatLoginAtOnce() {
    JsonNode pair = tokens(registered());
    String access = pair.get("accessToken").asString();
    assertThat(me(access)).isEqualTo(HttpStatus.OK);

    logout(access, pair.get("refreshToken").asString());

    assertThat(me(access)).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void logoutWithSomeoneElsesRefreshTokenAnswersTheSameAndRevokesNothing() {
    JsonNode mallory = tokens(registered());
    JsonNode victim = tokens(registered());

    logout(mallory.get("accessToken").asString(), victim.get("refreshToken").asString());

    assertThat(me(victim.get("accessToken").asString())).isEqualTo(HttpStatus.OK);
    assertThat(refresh(victim.get("refreshToken").asString()).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void logoutEndsOnlyThatLoginNotTheUsersOtherSessions() {
    String email = registered();
    JsonNode phone = tokens(email);
    JsonNode laptop = tokens(email);

    http.post()
        .uri("/api/v1/auth/logout")
        .headers(h -> h.setBearerAuth(phone.get("accessToken").asString()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", phone.get("refreshToken").asString()))
        .exchange()
        .expectStatus()
        .isNoContent();

    assertThat(refresh(laptop.get("refreshToken").asString()).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void theAccessTokenIsAnHs256JwtWithTheRegisteredClaims() {
    String email = freshEmail();
    String userId = json(register(email, PASSWORD, "Claims")).get("userId").asString();
    JsonNode pair = tokens(email);

    String[] parts = pair.get("accessToken").asString().split("\\.", -1);

    assertThat(parts).hasSize(3);
    assertThat(parts[2]).isNotEmpty();
    JsonNode header = decode(parts[0]);
    assertThat(header.get("alg").asString()).isEqualTo("HS256");
    JsonNode claims = decode(parts[1]);
    assertThat(claims.propertyNames()).contains("iss", "aud", "exp", "iat", "jti", "sub");
    assertThat(claims.get("iss").asString()).isEqualTo("paystream");
    JsonNode aud = claims.get("aud");
    assertThat(aud.isArray() ? aud.get(0).asString() : aud.asString()).isEqualTo("paystream-api");
    assertThat(claims.get("sub").asString()).isEqualTo(userId);
    assertThat(claims.get("jti").asString()).isNotBlank();
    long iat = claims.get("iat").asLong();
    long exp = claims.get("exp").asLong();
    assertThat(exp - iat).isEqualTo(pair.get("expiresIn").asLong());
    assertThat(iat)
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
  }

  @Test
  void everyLoginGetsAnAccessTokenWithItsOwnId() {
    String email = registered();

    String first =
        decode(tokens(email).get("accessToken").asString().split("\\.")[1]).get("jti").asString();
    String second =
        decode(tokens(email).get("accessToken").asString().split("\\.")[1]).get("jti").asString();

    assertThat(first).isNotEqualTo(second);
  }

  private static String freshEmail() {
    return "auth-" + UUID.randomUUID() + "@example.com";
  }

  private void assertPasswordAccepted(String password) {
    String email = freshEmail();
    assertThat(register(email, password, "Edge").getStatus()).isEqualTo(HttpStatus.CREATED);
    assertThat(login(email, password).getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(login(email, password + "x").getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  private String registered() {
    String email = freshEmail();
    assertThat(register(email, PASSWORD, "Auth Test").getStatus()).isEqualTo(HttpStatus.CREATED);
    return email;
  }

  private EntityExchangeResult<byte[]> register(String email, String password, String name) {
    Map<String, String> body = new HashMap<>();
    body.put("email", email);
    body.put("password", password);
    body.put("name", name);
    return http.post()
        .uri("/api/v1/auth/register")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> login(String email, String password) {
    return http.post()
        .uri("/api/v1/auth/login")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", password))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private JsonNode tokens(String email) {
    EntityExchangeResult<byte[]> result = login(email, PASSWORD);
    assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
    return json(result);
  }

  private void logout(String accessToken, String refreshToken) {
    http.post()
        .uri("/api/v1/auth/logout")
        .headers(h -> h.setBearerAuth(accessToken))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", refreshToken))
        .exchange()
        .expectStatus()
        .isNoContent();
  }

  private EntityExchangeResult<byte[]> refresh(String refreshToken) {
    return http.post()
        .uri("/api/v1/auth/refresh")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", refreshToken))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private HttpStatus me(String accessToken) {
    return HttpStatus.valueOf(
        http.get()
            .uri("/api/v1/me")
            .headers(h -> h.setBearerAuth(accessToken))
            .exchange()
            .expectBody()
            .returnResult()
            .getStatus()
            .value());
  }

  private static JsonNode assertProblem(
      EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
    assertThat(result.getStatus()).as("status").isEqualTo(status);
    assertThat(result.getResponseHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo(code);
    assertThat(problem.get("status").asInt()).isEqualTo(status.value());
    assertThat(problem.propertyNames()).contains("type", "title", "status", "detail", "code");
    return problem;
  }

  private static List<String> fields(JsonNode problem) {
    assertThat(problem.get("errors").isArray()).isTrue();
    return problem.get("errors").values().stream().map(e -> e.get("field").asString()).toList();
  }

  private static JsonNode decode(String base64Url) {
    return JSON.readTree(Base64.getUrlDecoder().decode(base64Url));
  }
}
