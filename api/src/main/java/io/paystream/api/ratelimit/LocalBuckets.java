package io.paystream.api.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-instance buckets, used only while Redis cannot answer. Bounded: the least recently used
 * bucket is dropped beyond {@code max}. Bucket4j's local buckets are lock-free; the map's monitor
 * is held for a lookup only, never across I/O, so this is safe on an event loop.
 */
final class LocalBuckets {

  private final Map<String, Bucket> buckets;

  LocalBuckets(int max) {
    this.buckets =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > max;
          }
        };
  }

  Bucket bucket(String key, BucketConfiguration configuration) {
    synchronized (buckets) {
      return buckets.computeIfAbsent(
          key, k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
    }
  }
}
