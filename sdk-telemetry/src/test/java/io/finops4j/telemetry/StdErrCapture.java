package io.finops4j.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what slf4j-simple writes (it writes to the current System.err) while open. */
final class StdErrCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private StdErrCapture(boolean keep) {
    System.setErr(new PrintStream(keep ? bytes : OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** Keeps the output for {@link #text()}. */
  static StdErrCapture start() {
    return new StdErrCapture(true);
  }

  /** Drops the output (a loop of 100,000 calls would flood the build log). */
  static StdErrCapture silence() {
    return new StdErrCapture(false);
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
