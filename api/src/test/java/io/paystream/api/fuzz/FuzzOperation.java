package io.paystream.api.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One operation of the published OpenAPI document: its method, path template, parameters and the
 * members of its JSON body, as the fuzz test needs them.
 *
 * @param bodyMembers member name to schema type ({@code string}, {@code integer}, {@code array},
 *     ...) of the JSON request body; null when the operation takes no body
 */
record FuzzOperation(
    String method, String path, List<Parameter> parameters, Map<String, String> bodyMembers) {

  /** A declared parameter: {@code in} is path, query or header. */
  record Parameter(String name, String in, boolean required) {}

  /** Every operation of {@code document}, in document order. */
  static List<FuzzOperation> all(JsonNode document) {
    List<FuzzOperation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        JsonNode spec = operation.getValue();
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode parameter : spec.path("parameters")) {
          parameters.add(
              new Parameter(
                  parameter.get("name").asString(),
                  parameter.get("in").asString(),
                  parameter.path("required").asBoolean(false)));
        }
        operations.add(
            new FuzzOperation(
                operation.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                parameters,
                body(document, spec)));
      }
    }
    return operations;
  }

  private static Map<String, String> body(JsonNode document, JsonNode spec) {
    JsonNode schema =
        spec.path("requestBody").path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      return null;
    }
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asString().replace("#/components/schemas/", "");
      schema = document.get("components").get("schemas").get(name);
    }
    Map<String, String> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : schema.path("properties").properties()) {
      members.put(member.getKey(), member.getValue().path("type").asString("string"));
    }
    return members;
  }

  boolean isStream() {
    return path.endsWith("/events");
  }

  boolean takesIdempotencyKey() {
    return parameters.stream().anyMatch(p -> p.name().equals("Idempotency-Key"));
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
