package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.providers.BatchWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * The Anthropic Message Batches API: {@code POST /v1/messages/batches} with {@code requests: [{custom_id,
 * params}]}, polled at {@code /v1/messages/batches/{id}} until {@code processing_status} is {@code ended}, then
 * the results streamed from {@code results_url} as JSONL, each {@code result.type} one of {@code succeeded},
 * {@code errored}, {@code canceled}, {@code expired}. At most {@value #MAX_REQUESTS} requests or
 * {@value #MAX_BYTES} bytes per batch, checked before anything is sent.
 */
final class AnthropicBatchClient implements BatchClient {

  static final int MAX_REQUESTS = 100_000;
  static final long MAX_BYTES = 256L * 1024 * 1024;
  private static final MediaType JSON = MediaType.get("application/json");

  private final BatchWire wire;

  AnthropicBatchClient(BatchWire wire) {
    this.wire = wire;
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
    if (requests.size() > MAX_REQUESTS) {
      throw new IllegalArgumentException("an Anthropic message batch holds at most " + MAX_REQUESTS
          + " requests, got " + requests.size() + "; split it into several batches");
    }
    byte[] body = body(requests);
    if (body.length > MAX_BYTES) {
      throw new IllegalArgumentException("an Anthropic message batch holds at most 256 MB, this one is "
          + body.length + " bytes; split it into several batches");
    }
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/v1/messages/batches"))
        .post(RequestBody.create(body, JSON)).build());
    String id = JsonlLines.text(batch.get("id"));
    if (id == null) {
      throw JsonlLines.missing(wire, "the created message batch has no id");
    }
    return id;
  }

  private byte[] body(List<BatchRequest> requests) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(requests.size() * 256);
    try (JsonGenerator g = wire.json().getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("requests");
      for (BatchRequest r : requests) {
        g.writeStartObject();
        g.writeStringField("custom_id", r.customId());
        g.writeFieldName("params");
        // the very body a real-time call posts: max_tokens, system prompt, cache_control and all
        g.writeRawValue(new String(wire.requestBody(r.request()), StandardCharsets.UTF_8));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  @Override
  public BatchStatus poll(String batchId) {
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/v1/messages/batches/" + batchId)).build());
    String status = JsonlLines.text(batch.get("processing_status"));
    if (status == null) {
      throw JsonlLines.missing(wire, "the message batch has no processing_status");
    }
    if (!"ended".equals(status)) {
      return new BatchStatus(batchId, status, false, List.of(), null);
    }
    String resultsUrl = JsonlLines.text(batch.get("results_url"));
    HttpUrl url = resultsUrl == null ? null : HttpUrl.parse(resultsUrl);
    if (url == null) {
      throw JsonlLines.missing(wire, "the ended message batch has no results_url");
    }
    List<BatchLine> lines = new ArrayList<>();
    JsonlLines.read(wire, wire.request(url).build(), line -> lines.add(line(line)));
    return new BatchStatus(batchId, status, true, lines, null);
  }

  /** {@code {custom_id, result: {type, message | error}}}. */
  private BatchLine line(JsonNode line) {
    String customId = JsonlLines.text(line.get("custom_id"));
    if (customId == null) {
      throw JsonlLines.missing(wire, "a result line has no custom_id");
    }
    JsonNode result = line.path("result");
    String type = result.path("type").asText("");
    switch (type) {
      case "succeeded":
        try {
          return BatchLine.ok(customId, wire.response(result.get("message"), null));
        } catch (IllegalArgumentException e) {
          return BatchLine.failed(customId, BatchLine.ERRORED, "malformed_response: " + e.getMessage());
        }
      case "errored": {
        // {type: error, error: {type: invalid_request_error, message}}
        JsonNode err = result.path("error");
        JsonNode inner = err.has("error") ? err.get("error") : err;
        return BatchLine.failed(customId, BatchLine.ERRORED,
            JsonlLines.describe(JsonlLines.text(inner.get("type")), JsonlLines.text(inner.get("message"))));
      }
      case "expired":
        return BatchLine.failed(customId, BatchLine.EXPIRED, "the batch ended before this request was processed");
      case "canceled":
        return BatchLine.failed(customId, BatchLine.CANCELED, "the batch was canceled before this request ran");
      default:
        return BatchLine.failed(customId, BatchLine.ERRORED, "unknown result type '" + type + "'");
    }
  }
}
