package io.paystream.api.auth;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Text fields refuse control characters and lone surrogates with 400 naming the field, and one
 * function normalises emails for registration and login, so what registers can log in. Bodies are
 * written as JSON text with {@code \\uXXXX} escapes: that is how a client sends such characters.
 */
class EmailAndTextIntegrationTest extends ApiIntegrationTest {

  private static final String PASSWORD = PaystreamClient.PASSWORD;

  /** JSON escapes of C0 controls, DEL and a C1 control. */
  @ParameterizedTest(name = "\\u{0}")
  @ValueSource(strings = {"0000", "0001", "0009", "000a", "001f", "007f", "0085"})
  void anEmailWithAControlCharacterAnywhereIsRefusedAtRegistrationAndAtLogin(String escape) {
    String local = "ctl-" + UUID.randomUUID();
    for (String email :
        new String[] {
          "\\u" + escape + local + "@example.com",
          local + "\\u" + escape + "x@example.com",
          local + "@example.com\\u" + escape
        }) {
      assertRefused(register(email, PASSWORD, "Control"), "email");
      assertRefused(login(email, PASSWORD), "email");
    }
  }

  @Test
  void anEmailRegistersAndLogsInWhateverItsCaseSurroundingSpacesAndUnicodeForm() {
    String local = "zo" + UUID.randomUUID().toString().substring(0, 8);
    // Registered decomposed (e + combining diaeresis), in mixed case, with spaces around.
    String registered = "  " + local.toUpperCase() + "e\\u0308@Example.COM ";
    assertThat(register(registered, PASSWORD, "Zoe").getStatus()).isEqualTo(HttpStatus.CREATED);

    // Logged in composed (\u00eb) and in lower case.
    assertThat(login(local + "\\u00eb@example.com", PASSWORD).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void anEmailWithALetterTheDatabaseLowersButTheJvmDoesNotRegistersAndLogsIn() {
    // U+2C2F: PostgreSQL's C library lowers it, Java 17's Unicode tables do not know it. The old
    // CHECK (email = lower(email)) made this registration a 500.
    String email = "glagolitic-\\u2c2f-" + UUID.randomUUID() + "@example.com";

    assertThat(register(email, PASSWORD, "Newer Unicode").getStatus())
        .isEqualTo(HttpStatus.CREATED);
    assertThat(login(email, PASSWORD).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\\u0000", "\\u001b[31m", "\\ud800", "\\udfff", "x\\udbff"})
  void aNameOrPasswordThatIsNotPlainTextIsRefused(String text) {
    assertRefused(register(freshEmail(), PASSWORD, "Name " + text), "name");
    assertRefused(register(freshEmail(), PASSWORD + text, "Name"), "password");
    assertRefused(login(freshEmail(), PASSWORD + text), "password");
  }

  @Test
  void aPasswordOfSpacesThatRegistersCanLogIn() {
    String email = freshEmail();
    String spaces = " ".repeat(12);

    assertThat(register(email, spaces, "Spaces").getStatus()).isEqualTo(HttpStatus.CREATED);
    assertThat(login(email, spaces).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\\u0000", "\\u0007", "\\ud83d", "ok\\udc00"})
  void aDescriptionOrReferenceThatIsNotPlainTextIsRefusedAndMovesNothing(String text) {
    User owner = client.newCustomer();
    UUID from = client.openAccount(owner, "EUR");
    UUID to = client.openAccount(owner, "EUR");
    client.deposit(owner, from, 100, "EUR");

    assertRefused(
        post(
            owner,
            "/api/v1/transfers",
            "{\"fromAccountId\":\""
                + from
                + "\",\"toAccountId\":\""
                + to
                + "\",\"amount\":10,\"currency\":\"EUR\","
                + "\"description\":\"rent "
                + text
                + "\"}"),
        "description");
    assertRefused(
        post(
            owner,
            "/api/v1/deposits",
            "{\"accountId\":\""
                + from
                + "\",\"amount\":10,\"currency\":\"EUR\",\"reference\":\"ref "
                + text
                + "\"}"),
        "reference");

    assertThat(client.balance(owner, from)).isEqualTo(100);
    assertThat(client.balance(owner, to)).isZero();
  }

  private static void assertRefused(EntityExchangeResult<byte[]> result, String field) {
    assertThat(errorFields(assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed")))
        .containsExactly(field);
  }

  private EntityExchangeResult<byte[]> register(String email, String password, String name) {
    return json(
        "/api/v1/auth/register",
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + password
            + "\",\"name\":\""
            + name
            + "\"}");
  }

  private EntityExchangeResult<byte[]> login(String email, String password) {
    return json(
        "/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  private EntityExchangeResult<byte[]> json(String path, String body) {
    return http.post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> post(User user, String path, String body) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static String freshEmail() {
    return "text-" + UUID.randomUUID() + "@example.com";
  }
}
