package io.paystream.api.statement;

import io.paystream.api.ApiProperties;
import io.paystream.api.security.SigningKeys;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Signed download links: {@code ?account=&month=&format=&expires=&sig=}, where {@code sig} is
 * HMAC-SHA256 over all four other values, so changing any of them (another account, another month,
 * the other format, a later expiry) breaks the signature. Whoever holds a valid link may download
 * until it expires, without a token: that is the point of it, and why it is short-lived.
 */
@Component
public class StatementLinks {

  static final String PATH = "/api/v1/statements/download";

  /** Names what is signed, so a signature made for anything else can never verify here. */
  private static final String PURPOSE = "paystream-statement-download-v1";

  private static final List<String> PARAMETERS =
      List.of("account", "month", "format", "expires", "sig");

  private final byte[] key;

  public StatementLinks(ApiProperties properties) {
    this.key = keyBytes(properties);
  }

  /** What a link grants: one account's statement of one month in one format, until a time. */
  record Grant(UUID account, YearMonth month, StatementFormat format, Instant expires) {}

  /** The query parameters of a link for {@code grant}, in order. */
  Map<String, String> sign(Grant grant) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("account", grant.account().toString());
    query.put("month", grant.month().toString());
    query.put("format", grant.format().parameter());
    query.put("expires", Long.toString(grant.expires().getEpochSecond()));
    query.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(mac(grant)));
    return query;
  }

  /**
   * The grant of a link whose signature is valid and which has not expired at {@code now}. Anything
   * else, from a missing parameter to an expired link, is a 403 {@code download_link_invalid}: a
   * tampered link learns nothing about why.
   */
  Grant verify(Map<String, List<String>> query, Instant now) {
    Grant grant;
    byte[] signature;
    try {
      for (String name : PARAMETERS) {
        List<String> values = query.get(name);
        if (values == null || values.size() != 1) {
          throw invalid("the download link is incomplete");
        }
      }
      StatementFormat format = StatementFormat.fromParameter(query.get("format").get(0));
      if (format == null) {
        throw invalid("the download link is not valid");
      }
      grant =
          new Grant(
              UUID.fromString(query.get("account").get(0)),
              YearMonth.parse(query.get("month").get(0)),
              format,
              Instant.ofEpochSecond(Long.parseLong(query.get("expires").get(0))));
      signature = Base64.getUrlDecoder().decode(query.get("sig").get(0));
    } catch (RuntimeException malformed) {
      if (malformed instanceof ApiException api) {
        throw api;
      }
      throw invalid("the download link is not valid");
    }
    // Constant time, so response timing does not reveal how much of a forged signature matched.
    if (!MessageDigest.isEqual(mac(grant), signature)) {
      throw invalid("the download link is not valid");
    }
    if (!now.isBefore(grant.expires())) {
      throw invalid("the download link has expired; ask for a new one");
    }
    return grant;
  }

  private byte[] mac(Grant grant) {
    String signed =
        String.join(
            "\n",
            PURPOSE,
            grant.account().toString(),
            grant.month().toString(),
            grant.format().parameter(),
            Long.toString(grant.expires().getEpochSecond()));
    return SigningKeys.mac(key, signed.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiException invalid(String detail) {
    return new ApiException(ApiError.DOWNLOAD_LINK_INVALID, detail);
  }

  /**
   * The configured key, or one derived from the JWT secret for this purpose alone (a link signature
   * can never be replayed as a token signature or the reverse).
   */
  private static byte[] keyBytes(ApiProperties properties) {
    String configured = properties.statements().signingKey();
    if (configured != null && !configured.isBlank()) {
      byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
      if (bytes.length < SigningKeys.KEY_BYTES_MIN) {
        throw new IllegalStateException(
            "PAYSTREAM_STATEMENT_SIGNING_KEY must be at least "
                + SigningKeys.KEY_BYTES_MIN
                + " bytes");
      }
      return bytes;
    }
    return SigningKeys.derive(
        properties.jwtSecret(),
        "PAYSTREAM_STATEMENT_SIGNING_KEY (or PAYSTREAM_JWT_SECRET to derive it from)",
        "paystream statement link signing key");
  }
}
