package io.finops4j.ledger;

/**
 * Counters of a {@link LedgerWriter} since it started, for health checks and metrics.
 *
 * @param enqueued rows accepted into the in-memory queue
 * @param spilled rows written to the spill file because the queue was full (or the sink was behind)
 * @param written rows the sink confirmed, including replayed ones
 * @param replayed rows written from the spill file (this run's or a previous run's)
 * @param failedBatches sink writes that failed and were retried
 * @param dropped rows lost: the spill file itself failed, or the call came after {@code close()}; each drop is
 *     logged
 * @param queueDepth rows waiting in the queue now
 */
public record LedgerStats(long enqueued, long spilled, long written, long replayed, long failedBatches, long dropped,
    int queueDepth) {}
