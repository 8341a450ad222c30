package io.finops4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;

/** The recorded provider payloads under {@code tools/} (each one's source is in {@code tools/SOURCES.md}). */
final class ToolFixtures {

  private ToolFixtures() {}

  /** The recording {@code name} as a 200 response of {@code contentType}, for a test to add headers to. */
  static MockResponse.Builder response(String name, String contentType) {
    try (InputStream in = ToolFixtures.class.getResourceAsStream("tools/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no recording tools/" + name);
      }
      return new MockResponse.Builder().code(200).addHeader("Content-Type", contentType)
          .body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded JSON answer. */
  static MockResponse recorded(String name) {
    return response(name, "application/json").build();
  }

  /** A recorded server-sent-event stream. */
  static MockResponse recordedStream(String name) {
    return response(name, "text/event-stream").build();
  }
}
