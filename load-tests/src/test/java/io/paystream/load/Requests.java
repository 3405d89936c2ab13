package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.UUID;

/** Request builders every simulation uses: the bearer token, Idempotency-Key, a transfer. */
final class Requests {

  private Requests() {}

  static HttpRequestActionBuilder authorized(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{accessToken}");
  }

  /** A fresh key per request: nothing sent with it is a retry. */
  static HttpRequestActionBuilder idempotent(HttpRequestActionBuilder request) {
    return request.header("Idempotency-Key", session -> UUID.randomUUID().toString());
  }

  /**
   * {@code POST /api/v1/transfers} from {@code #{fromAccountId}} to {@code #{toAccountId}}, with
   * the bearer token and no Idempotency-Key yet (add a fresh one, or the session's for a retry).
   */
  static HttpRequestActionBuilder transfer(String name, String amountMinorEl) {
    return authorized(http(name).post("/api/v1/transfers"))
        .asJson()
        .body(
            StringBody(
                "{\"fromAccountId\":\"#{fromAccountId}\","
                    + "\"toAccountId\":\"#{toAccountId}\",\"amount\":"
                    + amountMinorEl
                    + ",\"currency\":\"EUR\",\"description\":\"load test\"}"));
  }

  /**
   * The page cursor saved under {@code key}, or null at the last page: Gatling saves the JSON
   * {@code "nextCursor": null} as an attribute whose value is null.
   */
  static String cursor(Session session, String key) {
    String cursor = session.contains(key) ? session.getString(key) : null;
    return cursor == null || cursor.isEmpty() || cursor.equals("null") ? null : cursor;
  }
}
