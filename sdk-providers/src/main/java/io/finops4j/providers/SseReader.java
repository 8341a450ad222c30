package io.finops4j.providers;

import java.io.EOFException;
import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads the {@code data:} payloads of a server-sent event stream, one event at a time. An event is dispatched
 * only when its terminating blank line arrived: a connection cut mid-event yields end of stream, never half an
 * event (the caller then sees that no {@code [DONE]} came and fails the call).
 */
final class SseReader {

  static final String DONE = "[DONE]";

  private final BufferedSource source;
  /** Told of each line read: progress of the call, whose read timeout starts again. */
  private final Runnable onLine;
  private final StringBuilder data = new StringBuilder(256);

  SseReader(BufferedSource source, Runnable onLine) {
    this.source = source;
    this.onLine = onLine;
  }

  /** The next event's data, or null at end of stream. */
  String next() throws IOException {
    data.setLength(0);
    boolean pending = false;
    while (true) {
      String line;
      try {
        line = source.readUtf8LineStrict();
      } catch (EOFException eof) {
        // the last line had no newline: accept only a complete [DONE] (some servers omit the final newline)
        String partial = source.exhausted() ? "" : source.readUtf8();
        if (isDone(partial) || (pending && DONE.contentEquals(data) && partial.isEmpty())) {
          return DONE;
        }
        return null;
      }
      onLine.run();
      if (line.isEmpty()) {
        if (pending) {
          return data.toString();
        }
        continue;
      }
      if (line.startsWith("data:")) {
        if (pending) {
          data.append('\n');
        }
        int start = line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5;
        data.append(line, start, line.length());
        pending = true;
      }
      // ':' comments (keep-alives), event:, id: and retry: lines carry nothing the chat wire needs
    }
  }

  private static boolean isDone(String line) {
    String s = line.trim();
    return s.equals("data: [DONE]") || s.equals("data:[DONE]");
  }
}
