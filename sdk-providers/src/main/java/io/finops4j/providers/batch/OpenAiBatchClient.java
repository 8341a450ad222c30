package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.providers.BatchWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * The OpenAI Batch API: the requests as a JSONL file uploaded to {@code /files} with purpose {@code batch}, a
 * batch created at {@code /batches} for {@code /v1/chat/completions} with a {@code 24h} completion window, polled
 * at {@code /batches/{id}}, and its {@code output_file_id} and {@code error_file_id} read from
 * {@code /files/{id}/content}. At most {@value #MAX_REQUESTS} requests and {@value #MAX_FILE_BYTES} bytes per
 * file, checked before anything is uploaded.
 */
final class OpenAiBatchClient extends WireBatchClient {

  static final int MAX_REQUESTS = 50_000;
  static final long MAX_FILE_BYTES = 200L * 1024 * 1024;
  static final String ENDPOINT = "/v1/chat/completions";
  private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");
  private static final MediaType JSONL = MediaType.get("application/jsonl");
  private static final MediaType JSON = MediaType.get("application/json");

  OpenAiBatchClient(BatchWire wire) {
    super(wire);
  }

  @Override
  public String submit(List<BatchRequest> requests) {
    checkCount(requests, MAX_REQUESTS, "an OpenAI batch");
    byte[] file = checkSize(jsonl(requests), MAX_FILE_BYTES, "an OpenAI batch file");
    RequestBody upload = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("purpose", "batch")
        .addFormDataPart("file", "batch.jsonl", RequestBody.create(file, JSONL))
        .build();
    JsonNode uploaded = JsonlLines.object(wire, wire.request(wire.url("/files")).post(upload).build());
    String fileId = required(uploaded, "id", "the uploaded file has no id");
    String create = "{\"input_file_id\":" + quote(fileId) + ",\"endpoint\":\"" + ENDPOINT
        + "\",\"completion_window\":\"24h\"}";
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/batches"))
        .post(RequestBody.create(create.getBytes(StandardCharsets.UTF_8), JSON)).build());
    return required(batch, "id", "the created batch has no id");
  }

  private byte[] jsonl(List<BatchRequest> requests) {
    return upload(requests, out -> {
      for (BatchRequest r : requests) {
        try (JsonGenerator g = wire.json().getFactory().createGenerator(out)) {
          g.writeStartObject();
          g.writeStringField("custom_id", r.customId());
          g.writeStringField("method", "POST");
          g.writeStringField("url", ENDPOINT);
          writeBody(g, "body", r);
          g.writeEndObject();
        }
        out.write('\n');
      }
    });
  }

  @Override
  public BatchStatus poll(String batchId) {
    JsonNode batch = JsonlLines.object(wire, wire.request(wire.url("/batches/" + batchId)).build());
    String status = required(batch, "status", "the batch has no status");
    if (!ENDED.contains(status)) {
      return pending(batchId, status);
    }
    List<BatchLine> lines = new ArrayList<>();
    for (String field : List.of("output_file_id", "error_file_id")) {
      String fileId = JsonlLines.text(batch.get(field));
      if (fileId != null && !fileId.isEmpty()) {
        JsonlLines.read(wire, wire.request(wire.url("/files/" + fileId + "/content")).build(),
            line -> lines.add(line(line)));
      }
    }
    JsonNode first = batch.at("/errors/data/0");
    String error = first.isMissingNode() ? null
        : JsonlLines.describe(JsonlLines.text(first.get("code")), JsonlLines.text(first.get("message")));
    return new BatchStatus(batchId, status, true, lines, error);
  }

  /**
   * One output or error line: {@code {custom_id, response: {status_code, request_id, body}, error}}. A request
   * the batch never ran (window over, batch cancelled) has an {@code error} with code {@code batch_expired} or
   * {@code batch_cancelled}.
   */
  private BatchLine line(JsonNode line) {
    String customId = required(line, "custom_id", "a result line has no custom_id");
    JsonNode response = line.get("response");
    if (response != null && response.isObject()) {
      int statusCode = response.path("status_code").asInt(0);
      String requestId = JsonlLines.text(response.get("request_id"));
      JsonNode body = response.get("body");
      if (statusCode >= 200 && statusCode < 300) {
        return answer(customId, body, requestId);
      }
      JsonNode err = body == null ? null : body.get("error");
      String code = err == null ? null : firstNonNull(JsonlLines.text(err.get("code")), JsonlLines.text(err.get("type")));
      return BatchLine.failed(customId, BatchLine.ERRORED, JsonlLines.describe(
          code != null ? code : "http_" + statusCode, err == null ? null : JsonlLines.text(err.get("message"))));
    }
    JsonNode err = line.get("error");
    String code = err == null ? null : JsonlLines.text(err.get("code"));
    String message = err == null ? null : JsonlLines.text(err.get("message"));
    String type = "batch_expired".equals(code) ? BatchLine.EXPIRED
        : "batch_cancelled".equals(code) ? BatchLine.CANCELED : BatchLine.ERRORED;
    return BatchLine.failed(customId, type, JsonlLines.describe(code, message));
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
