package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;

/** What a provider's stream parser keeps between the events of one stream; {@link HttpTransport} drives it. */
abstract class EventStream {

  final StringBuilder text = new StringBuilder();
  String model;
  /** The response object's own id, from the first event that carries it. */
  String responseId;
  /** An {@code error} member the stream carried: the call then fails with it. */
  JsonNode error;
  /** Set by the event that ends the stream ({@code [DONE]}, {@code message_stop}). */
  boolean ended;
  /** What an event is called in errors, e.g. {@code stream chunk}. */
  private final String unit;
  /** Why a stream that ends without {@link #ended} is incomplete. */
  private final String truncation;

  EventStream(String unit, String truncation) {
    this.unit = unit;
    this.truncation = truncation;
  }

  /**
   * Applies one event's {@code data}; returns its text delta or null.
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException when the data is not JSON
   * @throws OpenAiWire.MalformedException when it lacks what every event has
   */
  abstract String apply(String data) throws IOException;

  /** The answer so far. */
  abstract ProviderResponse response(String requestId) throws IOException;

  /** The request id failures carry: {@code fromHeader} unless the stream reports its own. */
  String requestId(String fromHeader) {
    return fromHeader;
  }

  /**
   * The usage the stream reported as final (OpenAI's usage chunk, Anthropic's message_delta), or null: a stream cut
   * after it is still billed as reported.
   */
  io.finops4j.api.Usage finalUsage() {
    return null;
  }

  /** Why the stream is incomplete when its data ends here, or null when it is complete. */
  String truncation() {
    return truncation;
  }

  /** Keeps an {@code error} member (not null) in {@link #error}; skips any other field the parser has no use for. */
  void errorOrSkip(String field, JsonToken t, JsonParser p) throws IOException {
    if (field.equals("error")) {
      if (t != JsonToken.VALUE_NULL) {
        error = p.readValueAsTree();
      }
    } else {
      p.skipChildren();
    }
  }

  String notJson() {
    return unit + " is not JSON";
  }
}
