package io.paystream.api.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * What an adversarial client sends instead of a valid value, by where it goes: control
 * characters, lone surrogates and invalid UTF-8, out-of-range numbers and timestamps, wrong types,
 * oversize values, injection strings. Each list is fixed; a seeded {@link Random} picks from it.
 */
final class Hostile {

  private Hostile() {}

  /** Already percent-encoded path segments and query values (bytes a browser would not send). */
  static final List<String> URL_PIECES = List.of(
      "", "%00", "a%00b", "%01", "%1B%5B31m", "%7F", "%C2%85",
      "%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%AF", "%F4%90%80%80", "%E2%80%AE", "%EF%BB%BF",
      "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%", "%G1", "%%", "%25", "%20", "+",
      "'%20OR%20'1'%3D'1", "1%3BDROP%20TABLE%20account", "%3Cscript%3E",
      "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "1-1-1-1-1", "0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b%00", "not-a-uuid",
      "0193A3B4-5C6D-7E8F-9A0B-1C2D3E4F5A6B", "{0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b}",
      "-1", "0", "1", "101", "2147483648", "-2147483649", "9223372036854775808", "1e309",
      "NaN", "Infinity", "1.5", "0x10", "%E2%81%B0",
      "2024-13", "2024-00", "99999-01", "+294277-01", "-4713-01", "0000-01", "1970-01",
      "9999-12", "2026-1", "2026-01-01", "1e3", "null", "true", "[]", "%7B%7D",
      "PENDING", "completed", "COMPLETED%00", "csv", "PDF", "xlsx",
      "a".repeat(3000), "%41".repeat(1500));

  /** Header values as ISO-8859-1 text: any byte but CR and LF. */
  static final List<String> HEADER_VALUES = List.of(
      "", " ", "\t", "a\u0000b", "\u0001", "\u007f", "\u00ff\u00fe", "\u00c3\u00a9", "\u00ed\u00a0\u0080",
      "-1", "0", "99999999999999999999", "1e309", "NaN", "wait=", "wait=-1", "wait=11",
      "wait=99999999999999999999", "wait=1.5", "respond-async, wait=1", "handling=strict",
      "x".repeat(300), "k".repeat(256), "k".repeat(255), "a b", "\"quoted\"",
      "00000000-0000-0000-0000-000000000000", "not-a-uuid", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "1,2", "'; DROP TABLE account; --",
      "application/xml", "text/plain", "*/*", "text/event-stream", "application/json;q=0",
      "application/json; charset=utf-16", "multipart/form-data; boundary=x", "image/png",
      "Bearer", "Bearer ", "Bearer x", "Bearer a.b.c", "Basic YTpi", "bearer",
      "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.",
      "Bearer " + "a".repeat(4000));

  /** JSON values for one body member. */
  static final List<String> JSON_VALUES = List.of(
      "null", "true", "false", "0", "-1", "1", "1.5", "-0", "1e3", "1e309", "-1e309",
      "1000000000000000", "1000000000000001", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "-9223372036854775809", "99999999999999999999999999999",
      "0.0000000000000000000001", "[]", "{}", "[1,2]", "{\"a\":1}", "[\"transfer.*\"]",
      "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0001\"", "\"\\u001b[31m\"",
      "\"\\u007f\"", "\"\\u0085\"", "\"\\ud800\"", "\"\\udfff\"", "\"x\\udbff\"",
      "\"\\ud83d\\ude00\"", "\"\\u202e\"", "\"\\ufeff\"", "\"\\uffff\"",
      "\"<img src=x onerror=alert(1)>\"", "\"' OR 1=1 --\"", "\"../../etc/passwd\"",
      "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-uuid\"", "\"1-1-1-1-1\"",
      "\"EUR\"", "\"eur\"", "\"XXX\"", "\"EU\"", "\"EURO\"", "\"XAU\"", "\"JPY\"", "\"KWD\"",
      "\"9999-12-31T23:59:59Z\"", "\"+294277-01-01T00:00:00Z\"", "\"-infinity\"", "\"NaN\"",
      "\"1\"", "\"1e3\"", "\"http://[::127.0.0.1]/\"", "\"http://169.254.169.254/\"",
      "\"file:///etc/passwd\"", "\"DE89370400440532013000\"", "\"DE00370400440532013000\"",
      "\"" + "a".repeat(300) + "\"", "\"" + "a".repeat(5000) + "\"",
      "[" + "\"transfer.*\",".repeat(200) + "\"x\"]",
      "[".repeat(500) + "]".repeat(500));

  /** Whole bodies as bytes: not JSON, not UTF-8, too deep, too large. */
  static List<byte[]> bodies() {
    return List.of(
        bytes(""), bytes("{"), bytes("}"), bytes("null"), bytes("[]"), bytes("\"text\""),
        bytes("{}"), bytes("1"), bytes("{\"a\":1,\"a\":2}"), bytes("\u00ef\u00bb\u00bf{}"),
        bytes("{\"email\":\"a\u00ff\u00fe\"}"), bytes("{\"x\":\"\u00ed\u00a0\u0080\"}"),
        bytes("{'single':'quotes'}"), bytes("{\"a\":NaN}"), bytes("{\"a\":1e999999}"),
        bytes("[".repeat(20_000)), bytes("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}"),
        bytes("{\"a\":\"" + "x".repeat(70_000) + "\"}"), bytes("\u0000\u0001\u0002"),
        bytes("<xml/>"), bytes("a=1&b=2"));
  }

  static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  /** ISO-8859-1: one byte per char, so these strings spell any bytes, invalid UTF-8 included. */
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
