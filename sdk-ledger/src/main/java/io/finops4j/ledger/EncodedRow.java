package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

  /**
   * Buffers for callers' rows, striped by thread so that callers rarely reach for the same one: a caller takes its
   * stripe's buffer (or makes one if another caller has it), writes its row, copies the line out and puts the buffer
   * back. Why: a fresh buffer per row allocated more than the line itself (its 1 KB array, and a copy of each value's
   * bytes for slots that a fresh buffer has not seen), and a kept buffer remembers the values rows repeat (customer,
   * model, task type), so those are copies rather than encodings. Bounded: one buffer per stripe, none kept above
   * {@link #MAX_KEPT} bytes.
   */
  private static final AtomicReferenceArray<RowBytes> BUFFERS = new AtomicReferenceArray<>(stripes());
  private static final int MAX_KEPT = 64 * 1024;

  /** Four per CPU, a power of two: on a CPU only one caller runs at a time, and one preempted holds one buffer. */
  private static int stripes() {
    return Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1;
  }

  static EncodedRow of(CallRecord r) {
    int stripe = (int) Thread.currentThread().getId() & (BUFFERS.length() - 1);
    RowBytes out = BUFFERS.getAndSet(stripe, null);
    if (out == null) {
      out = new RowBytes(1024);
    }
    out.reset();
    RecordJson.writeLine(out, r);
    EncodedRow row = new EncodedRow(r.callId(), r.timestamp().getEpochSecond(),
        Arrays.copyOf(out.array(), out.length()));
    if (out.array().length <= MAX_KEPT) {
      BUFFERS.set(stripe, out);
    }
    return row;
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
