package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.providers.BatchWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the batch clients over a {@link BatchWire} share: the documented limits checked before anything is sent,
 * the request bodies of real-time calls, and the checks on what the batch API answers.
 */
abstract class WireBatchClient implements BatchClient {

  private static final long MB = 1024 * 1024;

  final BatchWire wire;
  /** How errors name a batch, e.g. {@code an OpenAI batch}. */
  private final String batchName;
  private final int maxRequests;
  /** How errors name what {@link #maxBytes} limits, e.g. {@code an OpenAI batch file}. */
  private final String bytesName;
  private final long maxBytes;

  WireBatchClient(BatchWire wire, String batchName, int maxRequests, String bytesName, long maxBytes) {
    this.wire = wire;
    this.batchName = batchName;
    this.maxRequests = maxRequests;
    this.bytesName = bytesName;
    this.maxBytes = maxBytes;
  }

  @Override
  public String provider() {
    return wire.provider();
  }

  @Override
  public String submit(List<BatchRequest> requests) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one request");
    }
    if (requests.size() > maxRequests) {
      throw new IllegalArgumentException(batchName + " holds at most " + maxRequests + " requests, got "
          + requests.size() + "; split it into several batches");
    }
    byte[] body = encode(requests);
    if (body.length > maxBytes) {
      throw new IllegalArgumentException(bytesName + " holds at most " + maxBytes / MB + " MB, this one is "
          + body.length + " bytes; split it into several batches");
    }
    return create(body);
  }

  /** The requests as the provider's batch upload. */
  abstract byte[] encode(List<BatchRequest> requests);

  /** Uploads {@code body} and creates the batch; returns its id. */
  abstract String create(byte[] body);

  /** Writes {@code field}: the very body a real-time call of {@code r} posts (same fields, same output ceiling). */
  void writeBody(JsonGenerator g, String field, BatchRequest r) throws IOException {
    g.writeFieldName(field);
    g.writeRawValue(new String(wire.requestBody(r.request()), StandardCharsets.UTF_8));
  }

  /** The text of {@code node}'s {@code field}; fails as a malformed answer saying {@code what} when it is absent. */
  String required(JsonNode node, String field, String what) {
    String text = JsonlLines.text(node.get(field));
    if (text == null) {
      throw JsonlLines.missing(wire, what);
    }
    return text;
  }

  /** The status of a batch not yet ended: no results. */
  static BatchStatus pending(String batchId, String status) {
    return new BatchStatus(batchId, status, false, List.of(), null);
  }

  /** A succeeded line whose answer is {@code body}; a body that is not an answer makes it an errored line. */
  BatchLine answer(String customId, JsonNode body, String requestId) {
    try {
      return BatchLine.ok(customId, wire.response(body, requestId));
    } catch (IllegalArgumentException e) {
      return BatchLine.failed(customId, BatchLine.ERRORED, "malformed_response: " + e.getMessage());
    }
  }
}
