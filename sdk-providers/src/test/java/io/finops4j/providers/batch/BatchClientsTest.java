package io.finops4j.providers.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.providers.AnthropicClient;
import io.finops4j.providers.OpenAiClient;
import io.finops4j.providers.SimulatorClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch wire clients on real HTTP, with payloads shaped as in the OpenAI and Anthropic API references. */
class BatchClientsTest {

  private final MockWebServer server = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();
  private OpenAiClient openAi;
  private AnthropicClient anthropic;

  @BeforeEach
  void start() throws Exception {
    server.start();
    elsewhere.start();
    openAi = OpenAiClient.builder().apiKey("sk-test-1234567890").baseUrl(server.url("/v1").toString()).build();
    anthropic = AnthropicClient.builder().apiKey("sk-ant-test-0000").baseUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() throws Exception {
    openAi.close();
    anthropic.close();
    server.close();
    elsewhere.close();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static List<BatchRequest> requests(int n) {
    List<BatchRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new BatchRequest("r" + i, new ProviderRequest("m", Prompt.of("x"), 10, null, null, false)));
    }
    return out;
  }

  @Test
  void onlyOpenAiAndAnthropicClientsHaveABatchApi() {
    assertThat(BatchClient.of(openAi)).isInstanceOf(OpenAiBatchClient.class);
    assertThat(BatchClient.of(anthropic)).isInstanceOf(AnthropicBatchClient.class);
    assertThat(BatchClient.of(SimulatorClient.builder().build())).isNull();
  }

  @Test
  void openAiExpiredBatchReportsTheRequestsItNeverRanAsExpired() {
    server.enqueue(ok("""
        {"id":"batch_x","object":"batch","endpoint":"/v1/chat/completions","errors":null,"input_file_id":"file-1",
         "completion_window":"24h","status":"expired","output_file_id":null,"error_file_id":"file-err",
         "request_counts":{"total":2,"completed":0,"failed":2}}
        """));
    server.enqueue(ok("""
        {"id":"batch_req_1","custom_id":"r0","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}
        {"id":"batch_req_2","custom_id":"r1","response":null,"error":{"code":"batch_cancelled","message":"This request was cancelled."}}
        """));
    BatchStatus status = BatchClient.of(openAi).poll("batch_x");
    assertThat(status.ended()).isTrue();
    assertThat(status.lines()).extracting(BatchLine::errorType).containsExactly(BatchLine.EXPIRED, BatchLine.CANCELED);
    assertThat(status.lines().get(0).errorMessage()).startsWith("batch_expired: ");
  }

  @Test
  void openAiFailedValidationCarriesTheBatchError() {
    server.enqueue(ok("""
        {"id":"batch_x","object":"batch","status":"failed","output_file_id":null,"error_file_id":null,
         "errors":{"object":"list","data":[{"code":"invalid_json_line","message":"This line is not parseable as valid JSON.","param":null,"line":1}]}}
        """));
    BatchStatus status = BatchClient.of(openAi).poll("batch_x");
    assertThat(status.ended()).isTrue();
    assertThat(status.lines()).isEmpty();
    assertThat(status.error()).isEqualTo("invalid_json_line: This line is not parseable as valid JSON.");
  }

  @Test
  void aRefusedUploadIsAProviderErrorWithoutTheKey() {
    server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
        .body("{\"error\":{\"message\":\"Incorrect API key provided: sk-test-***7890.\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_api_key\"}}").build());
    assertThatThrownBy(() -> BatchClient.of(openAi).submit(requests(1)))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("sk-test-1234567890");
  }

  @Test
  void anthropicLimitIsCheckedBeforeSending() {
    assertThatThrownBy(() -> BatchClient.of(anthropic).submit(requests(100_001)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100000 requests, got 100001");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anthropicResultsOnAnotherHostNeverReceiveTheKey() throws Exception {
    server.enqueue(ok("""
        {"id":"msgbatch_1","type":"message_batch","processing_status":"ended",
         "request_counts":{"processing":0,"succeeded":0,"errored":0,"canceled":1,"expired":0},
         "results_url":"%s"}
        """.formatted(elsewhere.url("/results/msgbatch_1"))));
    elsewhere.enqueue(ok("{\"custom_id\":\"r0\",\"result\":{\"type\":\"canceled\"}}\n"));
    BatchStatus status = BatchClient.of(anthropic).poll("msgbatch_1");
    assertThat(status.lines()).extracting(BatchLine::errorType).containsExactly(BatchLine.CANCELED);
    RecordedRequest download = elsewhere.takeRequest(5, TimeUnit.SECONDS);
    assertThat(download.getHeaders().get("x-api-key")).isNull();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("x-api-key")).isEqualTo("sk-ant-test-0000");
  }
}
