package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.providers.BatchWire;
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
final class AnthropicBatchClient extends WireBatchClient {

  static final int MAX_REQUESTS = 100_000;
  static final long MAX_BYTES = 256L * 1024 * 1024;
  private static final MediaType JSON = MediaType.get("application/json");

  AnthropicBatchClient(BatchWire wire) {
    super(wire);
  }

  @Override
  public String submit(List<BatchRequest> requests) {
    checkCount(requests, MAX_REQUESTS, "an Anthropic message batch");
    byte[] body = checkSize(body(requests), MAX_BYTES, "an Anthropic message batch");
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/v1/messages/batches"))
        .post(RequestBody.create(body, JSON)).build());
    return required(batch, "id", "the created message batch has no id");
  }

  private byte[] body(List<BatchRequest> requests) {
    return upload(requests, out -> {
      try (JsonGenerator g = wire.json().getFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeArrayFieldStart("requests");
        for (BatchRequest r : requests) {
          g.writeStartObject();
          g.writeStringField("custom_id", r.customId());
          // max_tokens, system prompt, cache_control and all
          writeBody(g, "params", r);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
    });
  }

  @Override
  public BatchStatus poll(String batchId) {
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/v1/messages/batches/" + batchId)).build());
    String status = required(batch, "processing_status", "the message batch has no processing_status");
    if (!"ended".equals(status)) {
      return pending(batchId, status);
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
    String customId = required(line, "custom_id", "a result line has no custom_id");
    JsonNode result = line.path("result");
    String type = result.path("type").asText("");
    switch (type) {
      case "succeeded":
        return answer(customId, result.get("message"), null);
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
