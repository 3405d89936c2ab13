package io.paystream.domain;

import com.github.f4b6a3.uuid.factory.standard.TimeOrderedEpochFactory;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Time-ordered identifiers (UUIDv7, RFC 9562): they sort by creation time, which keeps B-tree
 * inserts at the right edge of the index and makes ids usable as a stable pagination order.
 */
public final class Ids {

  /**
   * The random bits come from a DRBG seeded once, here, from the operating system. The JDK's
   * default NativePRNG reads /dev/urandom again every 100 ms, which is a blocking file read on
   * whichever thread asks, an event loop included; a seeded DRBG never touches a file again.
   */
  private static final SecureRandom RANDOM = seededDrbg();

  /**
   * One factory per thread: a shared factory serialises every id behind a ReentrantLock, and an
   * event loop that finds it held parks, which is blocking. Ids stay time-ordered across threads
   * (millisecond prefix) and strictly increasing within a thread.
   */
  private static final ThreadLocal<TimeOrderedEpochFactory> FACTORY =
      ThreadLocal.withInitial(() -> TimeOrderedEpochFactory.builder().withRandom(RANDOM).build());

  private Ids() {}

  public static UUID newId() {
    return FACTORY.get().create();
  }

  /** A cryptographically strong random source that does no I/O after this class is loaded. */
  public static SecureRandom random() {
    return RANDOM;
  }

  private static SecureRandom seededDrbg() {
    try {
      SecureRandom drbg = SecureRandom.getInstance("DRBG");
      drbg.nextBytes(new byte[16]);
      return drbg;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no DRBG", e);
    }
  }

  /** Parses a client-supplied id; a malformed one is {@link Rejection#VALIDATION_FAILED}. */
  public static UUID parse(String text) {
    // UUID.fromString alone is lenient ("1-1-1-1-1", non-ASCII digits): insist on the canonical
    // form.
    if (text == null || !CANONICAL.matcher(text).matches()) {
      throw new RejectedException(Rejection.VALIDATION_FAILED, "not a UUID: " + abbreviate(text));
    }
    return UUID.fromString(text);
  }

  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
