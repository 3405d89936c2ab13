package io.paystream.api.fuzz;

import io.paystream.api.fuzz.FuzzOperation.Parameter;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.api.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * One request of the fuzz test: the valid request for an operation, with at most one part of it (a
 * path or query parameter, a header, a body member, or the whole body) replaced by a hostile value
 * or left out.
 *
 * @param mutation what was changed, for the failure message; "none" for the valid request
 */
record FuzzRequest(
    String method, String target, Map<String, String> headers, byte[] body, String mutation) {

  /** Headers every operation may be sent, besides its declared ones. */
  private static final List<String> COMMON_HEADERS =
      List.of(
          "Authorization", "Content-Type", "Accept", "X-Request-Id", "X-Forwarded-For", "Origin");

  /** The valid request for {@code operation} when {@code mutate} is false, else a mutated one. */
  static FuzzRequest of(
      FuzzOperation operation, FuzzFixtures fixtures, Random random, boolean mutate) {
    Map<String, String> path = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    for (Parameter parameter : operation.parameters()) {
      switch (parameter.in()) {
        case "path" ->
            path.put(parameter.name(), fixtures.pathValue(operation.path(), parameter.name()));
        case "query" -> {
          String value = fixtures.queryValue(operation.path(), parameter.name());
          if (value != null && (parameter.required() || random.nextBoolean())) {
            query.put(parameter.name(), value);
          }
        }
        case "header" -> {
          if (parameter.name().equals("Idempotency-Key")) {
            headers.put(parameter.name(), UUID.randomUUID().toString());
          }
        }
        default -> {}
      }
    }
    User caller = fixtures.caller(operation.path());
    if (caller != null) {
      headers.put("Authorization", "Bearer " + caller.token());
    }
    headers.put("Accept", operation.isStream() ? "text/event-stream" : "application/json");
    Map<String, String> members = null;
    if (operation.bodyMembers() != null) {
      headers.put("Content-Type", "application/json");
      members = new LinkedHashMap<>();
      for (String member : operation.bodyMembers().keySet()) {
        members.put(member, fixtures.bodyValue(operation.path(), member));
      }
    }
    String mutation = "none";
    byte[] rawBody = null;
    if (mutate) {
      List<String> sites = sites(operation, path, query);
      String site = Hostile.pick(sites, random);
      String name = site.substring(site.indexOf(':') + 1);
      boolean absent = random.nextInt(8) == 0;
      if (site.startsWith("path:")) {
        path.put(name, Hostile.pick(Hostile.URL_PIECES, random));
        mutation = site + " = " + abbreviate(path.get(name));
      } else if (site.startsWith("query:")) {
        String value = absent ? null : Hostile.pick(Hostile.URL_PIECES, random);
        query.put(name, value);
        mutation = site + " = " + abbreviate(value);
      } else if (site.startsWith("header:")) {
        String value = absent ? null : Hostile.pick(Hostile.HEADER_VALUES, random);
        headers.put(name, value);
        mutation = site + " = " + abbreviate(value);
      } else if (site.startsWith("member:")) {
        String value = absent ? null : Hostile.pick(Hostile.JSON_VALUES, random);
        members.put(name, value);
        mutation = site + " = " + abbreviate(value);
      } else {
        rawBody = Hostile.pick(Hostile.bodies(), random);
        mutation = "body = " + abbreviate(new String(rawBody, StandardCharsets.ISO_8859_1));
      }
    }
    headers.values().removeIf(value -> value == null);
    byte[] body =
        rawBody != null
            ? rawBody
            : members == null ? null : json(members).getBytes(StandardCharsets.UTF_8);
    return new FuzzRequest(
        operation.method(), target(operation.path(), path, query), headers, body, mutation);
  }

  byte[] bytes() {
    return RawHttp.request(method, target, headers, body);
  }

  @Override
  public String toString() {
    return method + " " + abbreviate(target) + " with " + mutation;
  }

  /**
   * Where a mutation may go: "path:id", "query:limit", "header:Accept", "member:amount", "body".
   */
  private static List<String> sites(
      FuzzOperation operation, Map<String, String> path, Map<String, String> query) {
    List<String> sites = new ArrayList<>();
    path.keySet().forEach(name -> sites.add("path:" + name));
    operation.parameters().stream()
        .filter(p -> p.in().equals("query"))
        .forEach(p -> sites.add("query:" + p.name()));
    sites.add("query:unexpected");
    operation.parameters().stream()
        .filter(p -> p.in().equals("header"))
        .forEach(p -> sites.add("header:" + p.name()));
    COMMON_HEADERS.forEach(name -> sites.add("header:" + name));
    if (operation.bodyMembers() != null) {
      operation.bodyMembers().keySet().forEach(name -> sites.add("member:" + name));
      sites.add("member:unexpected");
      sites.add("body");
      sites.add("body");
    }
    return sites;
  }

  private static String target(
      String template, Map<String, String> path, Map<String, String> query) {
    String target = template;
    for (Map.Entry<String, String> parameter : path.entrySet()) {
      target = target.replace("{" + parameter.getKey() + "}", parameter.getValue());
    }
    StringBuilder withQuery = new StringBuilder(target);
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      if (parameter.getValue() != null) {
        withQuery
            .append(separator)
            .append(parameter.getKey())
            .append('=')
            .append(parameter.getValue());
        separator = '&';
      }
    }
    return withQuery.toString();
  }

  private static String json(Map<String, String> members) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> member : members.entrySet()) {
      if (member.getValue() != null) {
        json.append(json.length() > 1 ? "," : "")
            .append('"')
            .append(member.getKey())
            .append("\":")
            .append(member.getValue());
      }
    }
    return json.append('}').toString();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "(absent)";
    }
    StringBuilder visible = new StringBuilder();
    text.chars()
        .limit(100)
        .forEach(
            c ->
                visible.append(
                    c < 0x20 || c >= 0x7f
                        ? String.format("\\x%02x", c)
                        : String.valueOf((char) c)));
    return text.length() <= 100
        ? visible.toString()
        : visible + "... (" + text.length() + " chars)";
  }
}
