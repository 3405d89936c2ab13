package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the run was told was accepted: every transfer the API answered 2xx for, once per transfer id
 * however many times it was replayed. The audit compares this with the API's own records.
 *
 * <p>An Idempotency-Key that was answered with two different transfer ids is counted in {@link
 * #keysWithTwoTransfers()}: the one thing the idempotency contract must never allow.
 */
final class TransferTally {

  private final Map<String, String> transferByKey = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seenTransfers = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sentCount = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sentMinor = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> receivedCount = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> receivedMinor = new ConcurrentHashMap<>();
  private final LongAdder keysWithTwoTransfers = new LongAdder();

  void accepted(String key, String transferId, String from, String to, long amountMinor) {
    String first = transferByKey.putIfAbsent(key, transferId);
    if (first != null && !first.equals(transferId)) {
      keysWithTwoTransfers.increment();
    }
    if (seenTransfers.putIfAbsent(transferId, Boolean.TRUE) == null) {
      add(sentCount, from, 1);
      add(sentMinor, from, amountMinor);
      add(receivedCount, to, 1);
      add(receivedMinor, to, amountMinor);
    }
  }

  /**
   * Records the session's transfer ({@code key}, {@code transferId}, {@code fromAccountId}, {@code
   * toAccountId}) if its request saved a {@code transferId}: the checks save it only after the
   * status and headers passed. For a virtual user that sends one key, right after it.
   */
  Session recordAccepted(Session session, long amountMinor) {
    if (!session.contains("transferId")) {
      return session;
    }
    accepted(
        session.getString("key"),
        session.getString("transferId"),
        session.getString("fromAccountId"),
        session.getString("toAccountId"),
        amountMinor);
    return session;
  }

  /**
   * Sends the session's transfer under its {@code key} for the first time: {@code 202}, not a
   * replay; records it when accepted.
   */
  ChainBuilder sendOriginal(String requestName, long amountMinor) {
    return exec(Requests.transfer(requestName, Long.toString(amountMinor))
            .header("Idempotency-Key", "#{key}")
            .check(
                status().is(202),
                header("Idempotent-Replayed").notExists(),
                jsonPath("$.id").saveAs("transferId")))
        .exec(session -> recordAccepted(session, amountMinor));
  }

  long transfers() {
    return seenTransfers.size();
  }

  long keysWithTwoTransfers() {
    return keysWithTwoTransfers.sum();
  }

  long sentCount(String account) {
    return get(sentCount, account);
  }

  long sentMinor(String account) {
    return get(sentMinor, account);
  }

  long receivedCount(String account) {
    return get(receivedCount, account);
  }

  long receivedMinor(String account) {
    return get(receivedMinor, account);
  }

  private static void add(Map<String, LongAdder> map, String account, long value) {
    map.computeIfAbsent(account, a -> new LongAdder()).add(value);
  }

  private static long get(Map<String, LongAdder> map, String account) {
    LongAdder adder = map.get(account);
    return adder == null ? 0 : adder.sum();
  }
}
