package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.util.Arrays;

/**
 * A ledger row already written as its JSONL line, by the calling thread, for a writer that has fallen behind.
 *
 * <p>Why: with many callers on few cores the writer is one thread among many and gets too little CPU to keep up, so
 * rows wait in its queue; a queued {@link CallRecord} keeps its graph (usage and its raw counts, cost, timestamp, ids)
 * alive through young collections, and that copying was the longest young-GC pause at 64 callers. A line is one
 * array, and the writer has only to copy it. Rows are encoded only while the writer is behind, so a writer that keeps
 * up costs its callers nothing.
 */
final class EncodedRow {

  final String callId;
  /** The row's timestamp, in epoch seconds: which day's file it goes to. */
  final long epochSecond;
  /** The row's JSONL line, newline included. */
  final byte[] line;

  private EncodedRow(String callId, long epochSecond, byte[] line) {
    this.callId = callId;
    this.epochSecond = epochSecond;
    this.line = line;
  }

  static EncodedRow of(CallRecord r) {
    RowBytes out = new RowBytes(1024);
    RecordJson.writeLine(out, r);
    return new EncodedRow(r.callId(), r.timestamp().getEpochSecond(), Arrays.copyOf(out.array(), out.length()));
  }

  /** The call id of a queued row, either kind: for log lines. */
  static String callIdOf(Object row) {
    return row instanceof EncodedRow e ? e.callId : ((CallRecord) row).callId();
  }

  /** {@code row}, either kind, as its line into {@code out}. */
  static void writeLine(RowBytes out, Object row) {
    if (row instanceof EncodedRow e) {
      out.raw(e.line);
    } else {
      RecordJson.writeLine(out, (CallRecord) row);
    }
  }
}
