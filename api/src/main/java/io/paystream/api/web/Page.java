package io.paystream.api.web;

import java.util.List;
import java.util.function.Function;

/** A page: {@code {"items": [...], "nextCursor": "..." | null}}. */
public record Page<T>(List<T> items, String nextCursor) {

  /** Default and ceiling of the contract's {@code limit} parameter. */
  public static final int LIMIT_DEFAULT = 20;

  public static final int LIMIT_MAX = 100;

  /**
   * The page of {@code size} items from {@code fetched}, which holds up to {@code size + 1} (one
   * more than a page, to learn whether another page follows without counting), with the cursor
   * after its last item when one does.
   */
  public static <T> Page<T> of(List<T> fetched, int size, Function<T, String> cursorAfter) {
    if (fetched.size() <= size) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, size);
    return new Page<>(items, cursorAfter.apply(items.get(size - 1)));
  }

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
