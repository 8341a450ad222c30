package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.providers.BatchWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the batch clients over a {@link BatchWire} share: the documented limits checked before anything is sent,
 * the request bodies of real-time calls, and the checks on what the batch API answers.
 */
abstract class WireBatchClient implements BatchClient {

  private static final long MB = 1024 * 1024;

  /** Writes to the upload being built. */
  interface Upload {
    void write(ByteArrayOutputStream out) throws IOException;
  }

  final BatchWire wire;

  WireBatchClient(BatchWire wire) {
    this.wire = wire;
  }

  @Override
  public String provider() {
    return wire.provider();
  }

  /** Fails unless there are between one and {@code max} requests; {@code batch} names it, e.g. an OpenAI batch. */
  static void checkCount(List<BatchRequest> requests, int max, String batch) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one request");
    }
    if (requests.size() > max) {
      throw new IllegalArgumentException(batch + " holds at most " + max + " requests, got " + requests.size()
          + "; split it into several batches");
    }
  }

  /** Fails when {@code upload} is over {@code max} bytes; {@code what} names it, e.g. an OpenAI batch file. */
  static byte[] checkSize(byte[] upload, long max, String what) {
    if (upload.length > max) {
      throw new IllegalArgumentException(what + " holds at most " + max / MB + " MB, this one is " + upload.length
          + " bytes; split it into several batches");
    }
    return upload;
  }

  /** The bytes {@code upload} writes for {@code requests}. */
  static byte[] upload(List<BatchRequest> requests, Upload upload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(requests.size() * 256);
    try {
      upload.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

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
