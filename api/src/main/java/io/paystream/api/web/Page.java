package io.paystream.api.web;

import java.util.List;

/** A page: {@code {"items": [...], "nextCursor": "..." | null}}. */
public record Page<T>(List<T> items, String nextCursor) {

  /** Default and ceiling of the contract's {@code limit} parameter. */
  public static final int LIMIT_DEFAULT = 20;
  public static final int LIMIT_MAX = 100;

  public static int limit(Integer requested) {
    if (requested == null) {
      return LIMIT_DEFAULT;
    }
    if (requested < 1 || requested > LIMIT_MAX) {
      throw ApiException.invalid("limit", "must be between 1 and " + LIMIT_MAX);
    }
    return requested;
  }
}
