package io.paystream.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The console's operations are in the OpenAPI document, as OPS-only, with their parameters. */
class OpsOpenApiIntegrationTest extends ApiIntegrationTest {

  @Test
  void theConsolesOperationsAreDocumentedForOpsWithTheirParameters() {
    JsonNode paths =
        PaystreamClient.json(
                http.get()
                    .uri("/v3/api-docs")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult())
            .get("paths");

    assertOpsGet(paths, "/api/v1/ops/overview");
    assertOpsGet(paths, "/api/v1/ops/accounts", "email", "limit", "cursor");
    assertOpsGet(paths, "/api/v1/ops/accounts/{id}", "id");
    assertOpsGet(
        paths,
        "/api/v1/ops/transfers",
        "status",
        "accountId",
        "email",
        "id",
        "from",
        "to",
        "metadataKey",
        "metadataValue",
        "limit",
        "cursor");
    assertOpsGet(
        paths,
        "/api/v1/ops/withdrawals",
        "status",
        "accountId",
        "email",
        "id",
        "from",
        "to",
        "metadataKey",
        "metadataValue",
        "limit",
        "cursor");
    assertOpsGet(
        paths,
        "/api/v1/ops/holds",
        "status",
        "accountId",
        "email",
        "id",
        "from",
        "to",
        "metadataKey",
        "metadataValue",
        "limit",
        "cursor");
    assertOpsGet(paths, "/api/v1/ops/webhook-deliveries", "status", "webhookId", "limit", "cursor");
    for (String action : new String[] {"freeze", "unfreeze", "close"}) {
      JsonNode body = paths.get("/api/v1/accounts/{id}/" + action).get("post").get("requestBody");
      assertThat(body).as(action + " request body").isNotNull();
      assertThat(body.path("required").asBoolean(false)).as(action + " body optional").isFalse();
      assertThat(body.toString()).contains("StatusChangeRequest");
    }
  }

  private static void assertOpsGet(JsonNode paths, String path, String... parameters) {
    JsonNode get = paths.path(path).get("get");
    assertThat(get).as(path).isNotNull();
    assertThat(get.get("x-required-role").asString()).as(path).isEqualTo("OPS");
    java.util.List<String> names = new java.util.ArrayList<>();
    get.path("parameters").forEach(p -> names.add(p.get("name").asString()));
    assertThat(names).as(path).containsExactlyInAnyOrder(parameters);
  }
}
