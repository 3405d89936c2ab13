package io.paystream.api.statement;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and secrets of monthly statements, under {@code paystream.statements} (a member of {@link
 * io.paystream.api.ApiProperties}).
 *
 * @param signingKey HMAC-SHA256 key of download links ({@code PAYSTREAM_STATEMENT_SIGNING_KEY}), at
 *     least 32 bytes; when unset, a key is derived from the JWT secret, so a deployment never signs
 *     with a known key and needs no second secret
 * @param publicBaseUrl scheme and host that download links start with, for a deployment behind a
 *     proxy; unset, links name the host the request came to
 * @param linkTtlSeconds 15 minutes: a link is for downloading now; a leaked one dies soon
 * @param settleSeconds a transfer stamped just before midnight may commit a little after it; a
 *     closed month becomes final only this long after it ends (5 minutes, far above any
 *     transaction's lifetime), so a final statement never misses a late commit
 * @param currentMonthCacheSeconds a current-month statement rendered this recently is served again
 *     instead of re-rendered: a client that asks for the PDF and the CSV, or retries, costs one
 *     rendering, and a new entry shows up within 30 seconds
 * @param renderThreadsMax rendering is CPU work; one thread per core of the two-core machine leaves
 *     the event loops their share
 * @param renderQueueMax renderings waiting for a thread before requests are refused (503); bounded
 *     so a burst cannot grow memory
 * @param entriesMax entries one statement may hold: 20,000 make a PDF of about 400 pages (a few MB
 *     in memory while rendering); a busier account is refused (422) and reads its history
 * @param jobEnabled whether this instance runs the monthly job; every instance may, the advisory
 *     lock lets one run at a time
 * @param jobInitialDelaySeconds first run a minute after start-up, once the instance is warm
 * @param jobIntervalSeconds hourly: a closed month is rendered within the hour after it settles,
 *     and a run that finds every statement done costs one indexed query
 * @param jobBatchSize accounts read per query by the job; small enough to keep each read short
 */
public record StatementProperties(
    String signingKey,
    String publicBaseUrl,
    @DefaultValue("900") long linkTtlSeconds,
    @DefaultValue("300") long settleSeconds,
    @DefaultValue("30") long currentMonthCacheSeconds,
    @DefaultValue("2") int renderThreadsMax,
    @DefaultValue("256") int renderQueueMax,
    @DefaultValue("20000") int entriesMax,
    @DefaultValue("true") boolean jobEnabled,
    @DefaultValue("60") long jobInitialDelaySeconds,
    @DefaultValue("3600") long jobIntervalSeconds,
    @DefaultValue("100") int jobBatchSize) {}
