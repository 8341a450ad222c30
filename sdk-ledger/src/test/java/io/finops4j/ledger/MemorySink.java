package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink for tests: records what it stores, in order; can hold its first write until released, can fail on
 * demand, and wraps a real sink when given one.
 */
final class MemorySink implements LedgerSink {

  final List<CallRecord> rows = new ArrayList<>();
  final CountDownLatch firstWriteEntered = new CountDownLatch(1);
  private final CountDownLatch gate;
  private final LedgerSink delegate;
  volatile boolean failing;
  volatile boolean closed;

  MemorySink() {
    this(null, false);
  }

  MemorySink(LedgerSink delegate, boolean holdFirstWrite) {
    this.delegate = delegate;
    this.gate = new CountDownLatch(holdFirstWrite ? 1 : 0);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public void write(List<CallRecord> records) throws Exception {
    firstWriteEntered.countDown();
    if (!gate.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("test gate never released");
    }
    if (failing) {
      throw new java.io.IOException("sink down (test)");
    }
    if (delegate != null) {
      delegate.write(records);
    }
    synchronized (rows) {
      rows.addAll(records);
    }
  }

  List<String> ids() {
    synchronized (rows) {
      return rows.stream().map(CallRecord::callId).toList();
    }
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() throws java.io.IOException {
    closed = true;
    if (delegate != null) {
      delegate.close();
    }
  }
}
