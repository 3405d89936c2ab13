package io.paystream.messaging.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Paystream-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}. Signing
 * the timestamp with the body lets a receiver refuse replays: it recomputes v1 over the raw body it
 * received, compares in constant time, and refuses a {@code t} outside its tolerance (five minutes
 * is usual). See README.md, Webhooks.
 */
public final class WebhookSignature {

  public static final String HEADER = "Paystream-Signature";

  private WebhookSignature() {}

  public static String header(String secret, long unixSeconds, String body) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + body);
  }

  /** What a receiver does; here for tests and as executable documentation. */
  public static boolean verify(
      String secret, String header, String body, long nowUnixSeconds, long toleranceSeconds) {
    long t = -1;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] pair = part.split("=", 2);
      if (pair.length == 2 && pair[0].equals("t")) {
        try {
          t = Long.parseLong(pair[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (pair.length == 2 && pair[0].equals("v1")) {
        v1 = pair[1];
      }
    }
    if (t < 0 || v1 == null || Math.abs(nowUnixSeconds - t) > toleranceSeconds) {
      return false;
    }
    return MessageDigest.isEqual(
        hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII),
        v1.getBytes(StandardCharsets.US_ASCII));
  }

  static String hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
