package io.paystream.tools.payoutsimulator;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Payout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the simulator keeps the payouts it made, so that a provider killed mid-payout still knows
 * after its restart what it paid: a real provider never forgets money that left. One JSON line per
 * payout (PAID or REJECTED), appended and forced to disk before the caller is told anything.
 *
 * <p>Writes run on one dedicated thread, never on a Netty event loop: that thread is also what
 * serialises the appends, so two lines never interleave. Its queue is bounded ({@link
 * #PENDING_WRITES_MAX}); a write that finds it full is refused, and the payout is not made.
 *
 * <p>Replay at open: a last line that is incomplete or unreadable is what a kill during a write
 * leaves behind; it is dropped with a warning and cut off the file, so the next append starts on a
 * clean line. Its payout was never answered (the answer waits for the force), so forgetting it is
 * what the caller was promised. An unreadable line anywhere else is not a torn write but a damaged
 * journal, and opening it fails.
 *
 * <p>After one failed write the journal refuses every later one: the file may then end in part of a
 * line, which a later append would turn into damage in the middle.
 */
final class PayoutJournal implements AutoCloseable {

  /** Appends waiting for the writer thread; far above any test's or load run's burst. */
  static final int PENDING_WRITES_MAX = 10_000;

  /** How long a close waits for queued writes: each is one small write and one force. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(PayoutJournal.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path path;
  private final FileChannel channel;
  private final ThreadPoolExecutor writer;
  private final List<Payout> replayed;
  private volatile IOException broken;

  private PayoutJournal(Path path, FileChannel channel, List<Payout> replayed) {
    this.path = path;
    this.channel = channel;
    this.replayed = List.copyOf(replayed);
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(PENDING_WRITES_MAX),
            runnable -> {
              Thread thread = new Thread(runnable, "payout-journal");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Opens (or creates) the journal at {@code path} and reads back every payout in it. Runs on the
   * caller's thread: it is the simulator's start, before any request is served.
   *
   * @throws UncheckedIOException if the file cannot be read or written
   * @throws IllegalStateException if a line other than the last is unreadable
   */
  static PayoutJournal open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      List<Payout> payouts = new ArrayList<>();
      long clean = replay(path, Files.readAllBytes(path), payouts);
      if (clean < channel.size()) {
        channel.truncate(clean);
        channel.force(true);
      }
      channel.position(clean);
      log.info("payout journal {}: {} payouts replayed", path, payouts.size());
      return new PayoutJournal(path, channel, payouts);
    } catch (IOException e) {
      throw new UncheckedIOException("payout journal " + path + " cannot be opened", e);
    }
  }

  /** The payouts the journal held when it was opened, oldest first. */
  List<Payout> replayed() {
    return replayed;
  }

  /**
   * Appends the payout and forces it to disk, on the writer thread. Completes once the line is on
   * disk; fails if the write failed or the queue is full, and then the payout must not be answered.
   */
  CompletableFuture<Void> append(Payout payout) {
    byte[] line = (JSON.writeValueAsString(line(payout)) + "\n").getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.runAsync(() -> write(line), writer);
  }

  private void write(byte[] line) {
    if (broken != null) {
      throw new UncheckedIOException("payout journal " + path + " failed earlier", broken);
    }
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // force(false) is fdatasync on Linux: it also writes the file's new length, the metadata
      // needed to read the line back, and skips only timestamps.
      channel.force(false);
    } catch (IOException e) {
      broken = e;
      log.error("payout journal {} failed; every later payout is refused", path, e);
      throw new UncheckedIOException(e);
    }
  }

  /** Reads every line into {@code payouts}; returns the length of the file's clean prefix. */
  private static long replay(Path path, byte[] content, List<Payout> payouts) {
    int start = 0;
    while (start < content.length) {
      int end = indexOf(content, (byte) '\n', start);
      boolean last = end < 0 || end == content.length - 1;
      String text =
          new String(
              content, start, (end < 0 ? content.length : end) - start, StandardCharsets.UTF_8);
      Payout payout = end < 0 ? null : parse(text);
      if (payout == null) {
        if (!last) {
          throw new IllegalStateException(
              "payout journal " + path + " is damaged at byte " + start + ": " + text);
        }
        log.warn(
            "payout journal {}: the last line is torn (a kill during a write?), ignored: {}",
            path,
            text);
        return start;
      }
      payouts.add(payout);
      start = end + 1;
    }
    return content.length;
  }

  private static Payout parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      Payout payout =
          new Payout(
              UUID.fromString(node.get("id").asString()),
              node.get("amount").asLong(),
              node.get("currency").asString(),
              node.get("destination").asString(),
              node.get("status").asString(),
              node.path("reference").asString(null),
              node.path("reason").asString(null));
      boolean known =
          ("PAID".equals(payout.status()) && payout.reference() != null)
              || ("REJECTED".equals(payout.status()) && payout.reason() != null);
      return known ? payout : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Map<String, Object> line(Payout payout) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("id", payout.id().toString());
    line.put("amount", payout.amount());
    line.put("currency", payout.currency());
    line.put("destination", payout.destination());
    line.put("status", payout.status());
    if (payout.reference() != null) {
      line.put("reference", payout.reference());
    }
    if (payout.reason() != null) {
      line.put("reason", payout.reason());
    }
    return line;
  }

  private static int indexOf(byte[] content, byte wanted, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** Lets queued writes finish (bounded), then closes the file. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
      channel.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("payout journal {} did not close cleanly", path, e);
    }
  }
}
