package io.paystream.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT.md, Authentication, for every operation the running application documents at
 * /v3/api-docs: without a token 401 (except the contract's public operations); a customer gets 403
 * on OPS operations; a second customer gets 404 on the first customer's resources. The operations
 * are read from the document, so an endpoint added later is checked without editing this test —
 * only a new kind of resource in a path needs a line in {@link #resourceOfA}.
 */
class AuthorizationMatrixIntegrationTest extends ApiIntegrationTest {

  /**
   * The contract's operations that need no token: the auth endpoints, and the statement download,
   * whose signed, expiring link is its credential.
   */
  static final Set<String> CONTRACT_PUBLIC =
      Set.of(
          "POST /api/v1/auth/register",
          "POST /api/v1/auth/login",
          "POST /api/v1/auth/refresh",
          "GET /api/v1/statements/download");

  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

  private User alice;
  private User bob;
  private UUID aliceAccount;
  private UUID aliceTransfer;
  private String aliceWithdrawal;
  private String aliceWebhook;
  private String aliceBatch;
  private String aliceHold;

  @BeforeEach
  void aliceOwnsAnAccountAndATransferAndBobIsAnotherCustomer() {
    alice = client.newCustomer();
    bob = client.newCustomer();
    aliceAccount = client.openAccount(alice, "EUR");
    UUID aliceSecond = client.openAccount(alice, "EUR");
    client.deposit(alice, aliceAccount, 1_000, "EUR");
    aliceTransfer = client.acceptedTransfer(alice, aliceAccount, aliceSecond, 100, "EUR");
    aliceWithdrawal =
        PaystreamClient.json(
                http.post()
                    .uri("/api/v1/withdrawals")
                    .headers(h -> h.setBearerAuth(alice.token()))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of(
                            "accountId",
                            aliceAccount.toString(),
                            "amount",
                            100,
                            "currency",
                            "EUR",
                            "destination",
                            "DE89370400440532013000"))
                    .exchange()
                    .expectStatus()
                    .isAccepted()
                    .expectBody()
                    .returnResult())
            .get("id")
            .asString();
    aliceBatch =
        PaystreamClient.json(
                http.post()
                    .uri("/api/v1/transfer-batches")
                    .headers(h -> h.setBearerAuth(alice.token()))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of(
                            "fromAccountId",
                            aliceAccount.toString(),
                            "currency",
                            "EUR",
                            "transfers",
                            List.of(Map.of("toAccountId", aliceSecond.toString(), "amount", 10))))
                    .exchange()
                    .expectStatus()
                    .isAccepted()
                    .expectBody()
                    .returnResult())
            .get("id")
            .asString();
    aliceHold =
        PaystreamClient.json(
                client.moneyPost(
                    alice,
                    "/api/v1/holds",
                    UUID.randomUUID().toString(),
                    Map.of(
                        "fromAccountId",
                        aliceAccount.toString(),
                        "toAccountId",
                        aliceSecond.toString(),
                        "amount",
                        10,
                        "currency",
                        "EUR")))
            .get("id")
            .asString();
    // Loopback is allowed in tests; nothing listens on port 9, so deliveries just fail.
    aliceWebhook =
        PaystreamClient.json(
                http.post()
                    .uri("/api/v1/webhooks")
                    .headers(h -> h.setBearerAuth(alice.token()))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("withdrawal.*")))
                    .exchange()
                    .expectStatus()
                    .isCreated()
                    .expectBody()
                    .returnResult())
            .get("id")
            .asString();
  }

  @Test
  void theDocumentedPublicOperationsAreExactlyTheContractsPublicOnes() {
    Set<String> documentedPublic = new TreeSet<>();
    for (Operation operation : operations()) {
      if (operation.isPublic()) {
        documentedPublic.add(operation.name());
      }
    }

    assertThat(documentedPublic).isEqualTo(new TreeSet<>(CONTRACT_PUBLIC));
  }

  @Test
  void everyOperationButThePublicOnesAnswers401WithoutAToken() {
    List<Operation> operations = operations();
    assertThat(operations).hasSizeGreaterThan(15);
    for (Operation operation : operations) {
      EntityExchangeResult<byte[]> result = call(operation, null, aliceIds(operation));
      if (CONTRACT_PUBLIC.contains(operation.name())) {
        assertThat(result.getStatus().value()).as(operation.name()).isNotEqualTo(401);
      } else {
        assertUnauthorized(operation, result);
      }
    }
  }

  @Test
  void everyOperationButThePublicOnesAnswers401WithAForgedToken() {
    String forged = forgedToken();
    for (Operation operation : operations()) {
      if (!CONTRACT_PUBLIC.contains(operation.name())) {
        assertUnauthorized(operation, call(operation, forged, aliceIds(operation)));
      }
    }
  }

  @Test
  void aCustomerGets403OnEveryOpsOperationAndOpsDoesNot() {
    User ops = client.ops();
    List<Operation> opsOperations = new ArrayList<>();
    for (Operation operation : operations()) {
      if (operation.path().startsWith("/api/v1/ops/")) {
        assertThat(operation.requiredRole()).as(operation.name()).isEqualTo("OPS");
      }
      if ("OPS".equals(operation.requiredRole())) {
        opsOperations.add(operation);
      }
    }
    assertThat(opsOperations)
        .extracting(Operation::name)
        .contains("GET /api/v1/ops/audit", "POST /api/v1/accounts/{id}/freeze");

    for (Operation operation : opsOperations) {
      EntityExchangeResult<byte[]> asCustomer = call(operation, alice.token(), aliceIds(operation));
      assertThat(asCustomer.getStatus().value()).as(operation.name()).isEqualTo(403);
      assertThat(PaystreamClient.json(asCustomer).get("code").asString()).isEqualTo("forbidden");
      if (!operation.streams()) {
        EntityExchangeResult<byte[]> asOps = call(operation, ops.token(), aliceIds(operation));
        assertThat(asOps.getStatus().value()).as(operation.name()).isNotIn(401, 403);
      }
    }
  }

  @Test
  void aSecondCustomerGets404OnEveryOperationOnTheFirstCustomersResources() {
    int checked = 0;
    for (Operation operation : operations()) {
      if (!operation.path().contains("{id}")
          || "OPS".equals(operation.requiredRole())
          || operation.isPublic()) {
        continue;
      }
      EntityExchangeResult<byte[]> asBob = call(operation, bob.token(), aliceIds(operation));
      assertThat(asBob.getStatus().value())
          .as(operation.name() + " by another customer")
          .isEqualTo(404);
      checked++;
    }
    assertThat(checked).as("operations on a customer's resources").isGreaterThanOrEqualTo(3);
    // Alice herself is not refused: the 404s above are about ownership, not about the ids.
    client.get(alice, "/api/v1/accounts/" + aliceAccount);
    client.getTransfer(alice, aliceTransfer);
  }

  private static void assertUnauthorized(Operation operation, EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value()).as(operation.name()).isEqualTo(401);
    assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .as(operation.name())
        .startsWith("Bearer");
    assertThat(result.getResponseHeaders().getContentType())
        .as(operation.name())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
  }

  /** The path with {id} naming Alice's resource of the kind the path is about. */
  private String aliceIds(Operation operation) {
    Matcher parameters = PATH_PARAMETER.matcher(operation.path());
    StringBuilder path = new StringBuilder();
    while (parameters.find()) {
      String name = parameters.group(1);
      String value = "id".equals(name) ? resourceOfA(operation.path()) : example(name);
      parameters.appendReplacement(path, Matcher.quoteReplacement(value));
    }
    parameters.appendTail(path);
    return path.toString();
  }

  /**
   * Alice's resource for a path's {id}, by the collection it sits in. A path about a new kind of
   * resource fails here until this method learns to give Alice one.
   */
  private String resourceOfA(String path) {
    if (path.startsWith("/api/v1/accounts/{id}")) {
      return aliceAccount.toString();
    }
    if (path.startsWith("/api/v1/transfers/{id}")) {
      return aliceTransfer.toString();
    }
    if (path.startsWith("/api/v1/withdrawals/{id}")) {
      return aliceWithdrawal;
    }
    if (path.startsWith("/api/v1/webhooks/{id}")) {
      return aliceWebhook;
    }
    if (path.startsWith("/api/v1/transfer-batches/{id}")) {
      return aliceBatch;
    }
    if (path.startsWith("/api/v1/holds/{id}")) {
      return aliceHold;
    }
    if (path.startsWith("/api/v1/ops/accounts/{id}")) {
      return aliceAccount.toString();
    }
    if (path.startsWith("/api/v1/ops/dead-letters/{id}")) {
      // OPS-only: any id will do, the role decides.
      return UUID.randomUUID().toString();
    }
    throw new AssertionError(
        "the authorization matrix cannot yet give the first customer a"
            + " resource for "
            + path
            + "; add it to resourceOfA");
  }

  /** A well-formed value for any other path parameter, so that only authorization decides. */
  private static String example(String name) {
    if (name.toLowerCase().contains("month")) {
      return "2026-01";
    }
    return UUID.randomUUID().toString();
  }

  private EntityExchangeResult<byte[]> call(Operation operation, String token, String path) {
    WebTestClient.RequestBodySpec request =
        http.method(operation.method())
            .uri(path)
            .header(HttpHeaders.ACCEPT, "*/*")
            .header("Idempotency-Key", UUID.randomUUID().toString());
    if (token != null) {
      request.headers(h -> h.setBearerAuth(token));
    }
    WebTestClient.RequestHeadersSpec<?> ready =
        operation.method() == HttpMethod.POST
            ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
            : request;
    return ready.exchange().expectBody().returnResult();
  }

  private List<Operation> operations() {
    JsonNode document =
        PaystreamClient.json(
            http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
        if (Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
          operations.add(
              new Operation(
                  HttpMethod.valueOf(method.getKey().toUpperCase()),
                  path.getKey(),
                  method.getValue()));
        }
      }
    }
    return operations;
  }

  /** A token signed with another key: the right shape, the wrong signature. */
  private static String forgedToken() {
    String header = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    String claims =
        base64(
            "{\"sub\":\""
                + UUID.randomUUID()
                + "\",\"iss\":\"paystream\","
                + "\"aud\":[\"paystream-api\"],\"roles\":[\"OPS\"],\"exp\":4102444800,"
                + "\"iat\":1700000000,\"jti\":\"x\",\"sid\":\""
                + UUID.randomUUID()
                + "\"}");
    return header + "." + claims + "." + base64("not-the-signature");
  }

  private static String base64(String text) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** One documented operation. */
  record Operation(HttpMethod method, String path, JsonNode spec) {

    String name() {
      return method.name() + " " + path;
    }

    /** Documented as needing no token: an explicitly empty security requirement. */
    boolean isPublic() {
      JsonNode security = spec.get("security");
      return security != null && security.isArray() && security.isEmpty();
    }

    String requiredRole() {
      JsonNode role = spec.get("x-required-role");
      return role == null ? null : role.asString();
    }

    /** Answers with a server-sent event stream, which an OPS call would hold open. */
    boolean streams() {
      return spec.toString().contains("text/event-stream");
    }
  }
}
