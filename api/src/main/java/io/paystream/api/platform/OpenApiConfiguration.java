package io.paystream.api.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document the service publishes at /v3/api-docs: the contract's endpoints, bearer
 * security on all but the public ones, the Idempotency-Key header on money-moving POSTs, and the
 * problem+json answers every operation can give. The controllers name their success answers.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  static final String BEARER = "bearerAuth";

  /**
   * Extension naming the role an operation requires beyond authentication; the authorization matrix
   * test reads it to check that a customer gets 403.
   */
  public static final String REQUIRED_ROLE = "x-required-role";

  static final String PROBLEM = "Problem";

  /**
   * The operations a client may call without a token (CONTRACT.md, Authentication), and the
   * statement download, whose signed link is the credential.
   */
  static final Set<String> PUBLIC_PATHS =
      Set.of(
          "/api/v1/auth/register",
          "/api/v1/auth/login",
          "/api/v1/auth/refresh",
          "/api/v1/statements/download");

  /** POSTs that move money and therefore require an Idempotency-Key. */
  static final Set<String> MONEY_PATHS =
      Set.of("/api/v1/deposits", "/api/v1/transfers", "/api/v1/withdrawals");

  @Bean
  OpenAPI paystreamOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Paystream API")
                .version("v1")
                .description(
                    "Reactive payment API: accounts in any ISO 4217 currency, idempotent"
                        + " double-entry deposits and transfers, live status. Amounts are integer"
                        + " minor units; errors are RFC 9457 problem+json. Probes:"
                        + " /actuator/health/readiness is UP while this instance reaches a"
                        + " writable PostgreSQL primary (Kafka and Redis outages do not make it"
                        + " unready), /actuator/health/liveness checks nothing outside the"
                        + " process."))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT"))
                .addSchemas(PROBLEM, problemSchema()))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  @Bean
  OpenApiCustomizer contractResponses() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) ->
                    item.readOperationsMap()
                        .forEach((method, operation) -> describe(path, method, operation)));
  }

  private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
    ApiResponses responses = operation.getResponses();
    boolean isPublic = PUBLIC_PATHS.contains(path);
    if (isPublic) {
      operation.setSecurity(List.of());
    } else {
      responses.putIfAbsent("401", problem("Missing, invalid or expired bearer token"));
    }
    if (path.startsWith("/api/v1/ops/") || path.endsWith("/freeze") || path.endsWith("/unfreeze")) {
      responses.putIfAbsent("403", problem("The caller does not have the OPS role"));
      operation.addExtension(REQUIRED_ROLE, "OPS");
    }
    // Every operation is rate limited: per user when authenticated, per email and client
    // address for login and registration.
    responses.putIfAbsent(
        "429",
        problem(
            "rate_limited: too many requests; see Retry-After and"
                + " the RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers"));
    // Any operation that reads or writes the database may meet it restarting or failing over.
    responses.putIfAbsent(
        "503",
        problem(
            "service_unavailable: overloaded, or the database is unreachable or its connection was"
                + " lost; see Retry-After, and retry a money movement with the same"
                + " Idempotency-Key"));
    if (path.contains("{id}")) {
      responses.putIfAbsent("404", problem("No such resource visible to the caller"));
    }
    if (method == PathItem.HttpMethod.POST
        || (operation.getParameters() != null && !operation.getParameters().isEmpty())
        || path.contains("{id}")) {
      responses.putIfAbsent("400", problem("validation_failed: the request is not valid"));
    }
    if (method == PathItem.HttpMethod.POST) {
      responses.putIfAbsent("413", problem("The request body is too large"));
    }
    if (path.endsWith("/close") || path.endsWith("/freeze") || path.endsWith("/unfreeze")) {
      responses.putIfAbsent("422", problem("balance_not_zero or account_not_active"));
    }
    if (path.equals("/api/v1/statements/download")) {
      responses.putIfAbsent("403", problem("download_link_invalid: tampered with or expired"));
    }
    if (path.equals("/api/v1/auth/register")) {
      responses.putIfAbsent("409", problem("email_taken"));
    }
    if (path.equals("/api/v1/auth/login") || path.equals("/api/v1/auth/refresh")) {
      responses.putIfAbsent(
          "401",
          problem("invalid_credentials, invalid_refresh_token or" + " refresh_token_reused"));
    }
    if (MONEY_PATHS.contains(path) && method == PathItem.HttpMethod.POST) {
      if (operation.getParameters() != null) {
        operation
            .getParameters()
            .removeIf(parameter -> "Idempotency-Key".equals(parameter.getName()));
      }
      operation.addParametersItem(
          new HeaderParameter()
              .name("Idempotency-Key")
              .required(true)
              .description(
                  "1..255 printable ASCII characters, unique per operation; a retry with"
                      + " the same key and body replays the first answer")
              .schema(new StringSchema().minLength(1).maxLength(255)));
      responses.putIfAbsent("409", problem("idempotency_key_in_use"));
      responses.putIfAbsent(
          "422",
          problem(
              "A business rejection (insufficient_funds, ...) or"
                  + " idempotency_key_reused; limit_exceeded names the breached limit in the member"
                  + " limit (per_transfer_max, daily_outgoing_max, velocity_per_minute)"));
    }
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    "application/problem+json",
                    new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema problemSchema() {
    ObjectSchema fieldError = new ObjectSchema();
    fieldError.setProperties(Map.of("field", new StringSchema(), "message", new StringSchema()));
    Schema problem = new ObjectSchema().description("RFC 9457 problem details");
    problem.addProperty("type", new StringSchema());
    problem.addProperty("title", new StringSchema());
    problem.addProperty("status", new IntegerSchema());
    problem.addProperty("detail", new StringSchema());
    problem.addProperty("instance", new StringSchema());
    problem.addProperty("code", new StringSchema().description("stable snake_case error code"));
    problem.addProperty("errors", new ArraySchema().items(fieldError));
    problem.addProperty(
        "limit",
        new StringSchema()
            .description(
                "with limit_exceeded and rate_limited: the name of the limit that was hit"));
    problem.setRequired(List.of("type", "title", "status", "detail", "code"));
    return problem;
  }
}
