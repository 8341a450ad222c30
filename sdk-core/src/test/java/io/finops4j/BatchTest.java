package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Attribution;
import io.finops4j.api.BatchHandle;
import io.finops4j.api.BatchItem;
import io.finops4j.api.BatchResult;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Route;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch tasks end to end: the OpenAI Batch and Anthropic Message Batches APIs on real HTTP (MockWebServer, with
 * payloads shaped as in the providers' API references), polled by hand so that no test sleeps.
 */
class BatchTest {

  private static final String OPENAI_KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234";

  // OpenAI reference: POST /v1/files (purpose batch), POST /v1/batches, GET /v1/batches/{id}, GET /v1/files/{id}/content
  private static final String FILE = """
      {"id":"file-abc123","object":"file","bytes":1620,"created_at":1764003600,"filename":"batch.jsonl",
       "purpose":"batch"}
      """;
  private static final String OPENAI_BATCH = """
      {"id":"batch_abc123","object":"batch","endpoint":"/v1/chat/completions","errors":null,
       "input_file_id":"file-abc123","completion_window":"24h","status":"%s","output_file_id":%s,
       "error_file_id":%s,"created_at":1764003600,"in_progress_at":1764003660,"expires_at":1764090000,
       "completed_at":null,"request_counts":{"total":3,"completed":%d,"failed":%d},"metadata":null}
      """;
  private static final String OUTPUT_FILE = """
      {"id":"batch_req_1","custom_id":"t1","response":{"status_code":200,"request_id":"req_1","body":{"id":"chatcmpl-1","object":"chat.completion","created":1764004000,"model":"gpt-5-mini-2025-08-07","choices":[{"index":0,"message":{"role":"assistant","content":"billing","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":128}}}},"error":null}
      {"id":"batch_req_2","custom_id":"t2","response":{"status_code":200,"request_id":"req_2","body":{"id":"chatcmpl-2","object":"chat.completion","created":1764004001,"model":"gpt-5-mini-2025-08-07","choices":[{"index":0,"message":{"role":"assistant","content":"shipping","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920},"completion_tokens_details":{"reasoning_tokens":256}}}},"error":null}
      """;
  private static final String ERROR_FILE = """
      {"id":"batch_req_3","custom_id":"t3","response":{"status_code":400,"request_id":"req_3","body":{"error":{"message":"Invalid 'messages[0].content': string too long.","type":"invalid_request_error","param":"messages[0].content","code":"string_above_max_length"}}},"error":null}
      """;

  // Anthropic reference: POST /v1/messages/batches, GET /v1/messages/batches/{id}, GET results_url (JSONL)
  private static final String ANTHROPIC_BATCH = """
      {"id":"msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d","type":"message_batch","processing_status":"%s",
       "request_counts":{"processing":%d,"succeeded":%d,"errored":%d,"canceled":0,"expired":%d},
       "ended_at":null,"created_at":"2026-11-24T17:00:00Z","expires_at":"2026-11-25T17:00:00Z",
       "cancel_initiated_at":null,"archived_at":null,"results_url":%s}
      """;
  private static final String ANTHROPIC_RESULTS = """
      {"custom_id":"t1","result":{"type":"succeeded","message":{"id":"msg_014VwiXbi91y3JMjcpyGBHX5","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Refund approved."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1200,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":80}}}}
      {"custom_id":"t2","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001"}}}}
      {"custom_id":"t3","result":{"type":"expired"}}
      """;

  private final ObjectMapper json = new ObjectMapper();
  private final MockWebServer server = new MockWebServer();
  private final List<CallRecord> ledger = Collections.synchronizedList(new ArrayList<>());
  private final List<Llm> built = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    built.forEach(Llm::close);
    server.close();
  }

  private Llm openAi(String extra) {
    return build("""
        finops4j:
          providers:
            openai: { api-key: %s, base-url: %s }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            nightly-tagging: { tier: small, mode: batch, max-wait: 24h, max-output-tokens: 500 }
            chat: { tier: small }
          batch: { poll-interval: 1h, state-path: %s }
        %s""".formatted(OPENAI_KEY, server.url("/v1"), dir.resolve("batches.json"), extra));
  }

  private Llm anthropic() {
    return build("""
        finops4j:
          providers:
            anthropic: { api-key: sk-ant-test-0000, base-url: %s }
          tiers:
            small: [anthropic/claude-haiku-4-5]
          tasks:
            refunds: { tier: small, mode: batch, max-output-tokens: 1000 }
          budgets:
            - { scope: customer, limit: 10.00, period: month }
          batch: { poll-interval: 1h }
        """.formatted(server.url("/")));
  }

  private Llm build(String yaml) {
    Llm llm = Finops4j.builder().listener(ledger::add)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
    built.add(llm);
    return llm;
  }

  private static void poll(Llm llm) {
    ((Engine) llm).batches().pollNow();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static List<BatchItem> items(String... customers) {
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < customers.length; i++) {
      items.add(BatchItem.of("t" + (i + 1), Prompt.of("Tag ticket number " + (i + 1)),
          Attribution.of(customers[i], "tagging")));
    }
    return items;
  }

  private void enqueueOpenAiLifecycle() {
    server.enqueue(ok(FILE));
    server.enqueue(ok(OPENAI_BATCH.formatted("validating", "null", "null", 0, 0)));
    server.enqueue(ok(OPENAI_BATCH.formatted("in_progress", "null", "null", 1, 0)));
    server.enqueue(ok(OPENAI_BATCH.formatted("completed", "\"file-out456\"", "\"file-err789\"", 2, 1)));
    server.enqueue(ok(OUTPUT_FILE));
    server.enqueue(ok(ERROR_FILE));
  }

  @Test
  void openAiBatchLifeCycleWithOneFailedLine() throws Exception {
    Llm llm = openAi("");
    enqueueOpenAiLifecycle();

    BatchHandle handle = llm.submitBatch("nightly-tagging", items("acme", "globex", "initech"));
    assertThat(handle.id()).isEqualTo("batch_abc123");

    RecordedRequest upload = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(upload.getMethod()).isEqualTo("POST");
    assertThat(upload.getTarget()).isEqualTo("/v1/files");
    assertThat(upload.getHeaders().get("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
    String multipart = upload.getBody().utf8();
    assertThat(multipart).contains("name=\"purpose\"").contains("batch").contains("filename=\"batch.jsonl\"");
    String firstLine = multipart.lines().filter(l -> l.startsWith("{\"custom_id\":\"t1\"")).findFirst().orElseThrow();
    JsonNode line = json.readTree(firstLine);
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("url").asText()).isEqualTo("/v1/chat/completions");
    assertThat(line.at("/body/model").asText()).isEqualTo("gpt-5-mini");
    assertThat(line.at("/body/max_completion_tokens").asInt()).isEqualTo(500);
    assertThat(line.at("/body/messages/0/content").asText()).isEqualTo("Tag ticket number 1");
    assertThat(line.at("/body/stream").isMissingNode()).isTrue();

    RecordedRequest create = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(create.getTarget()).isEqualTo("/v1/batches");
    JsonNode created = json.readTree(create.getBody().utf8());
    assertThat(created.get("input_file_id").asText()).isEqualTo("file-abc123");
    assertThat(created.get("endpoint").asText()).isEqualTo("/v1/chat/completions");
    assertThat(created.get("completion_window").asText()).isEqualTo("24h");

    poll(llm);
    assertThat(handle.status()).isEqualTo("in_progress");
    assertThat(handle.results()).isNotDone();
    assertThat(ledger).isEmpty();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v1/batches/batch_abc123");

    poll(llm);
    assertThat(handle.status()).isEqualTo("completed");
    List<BatchResult> results = handle.results().get(5, TimeUnit.SECONDS);
    assertThat(results).extracting(BatchResult::itemId).containsExactly("t1", "t2", "t3");
    // gpt-5-mini at batch rates: 0.125 in, 0.0125 cached in, 1.00 out per 1M tokens
    assertThat(results.get(0).completion().text()).isEqualTo("billing");
    assertThat(results.get(0).completion().costUsd()).isEqualByComparingTo("0.000325");
    assertThat(results.get(0).completion().usage().reasoningTokens()).isEqualTo(128);
    assertThat(results.get(1).completion().costUsd()).isEqualByComparingTo("0.00033475");
    assertThat(results.get(2).ok()).isFalse();
    assertThat(results.get(2).errorType()).isEqualTo("errored");
    assertThat(results.get(2).errorMessage()).startsWith("string_above_max_length: Invalid");

    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v1/batches/batch_abc123");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v1/files/file-out456/content");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/v1/files/file-err789/content");

    // one ledger row per item, each with its own attribution, priced at the batch rate
    assertThat(ledger).hasSize(3);
    assertThat(ledger).extracting(r -> r.attribution().customer()).containsExactly("acme", "globex", "initech");
    assertThat(ledger.get(0).outcome()).isEqualTo(CallRecord.OK);
    assertThat(ledger.get(0).costUsd()).isEqualByComparingTo("0.000325");
    assertThat(ledger.get(0).taskType()).isEqualTo("nightly-tagging");
    assertThat(ledger.get(0).model().toString()).isEqualTo("openai/gpt-5-mini");
    assertThat(ledger.get(0).callId()).isEqualTo(results.get(0).completion().callId());
    assertThat(ledger.get(2).outcome()).isEqualTo(CallRecord.ERROR);
    assertThat(ledger.get(2).errorType()).isEqualTo("batch_errored");
    assertThat(ledger).extracting(CallRecord::callId).doesNotHaveDuplicates();

    // nothing pending any more: the state file lists no batch
    assertThat(json.readTree(dir.resolve("batches.json").toFile()).get("batches")).isEmpty();
  }

  @Test
  void eachBatchItemReachesListenersSpansAndMetersAsACallDoes() throws Exception {
    // issue 20: batch items used to go to the ledger only: no span, no meter, no listener event
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CallEventListener.Factory recorder = call -> new CallEventListener() {
      @Override public void callStart(CallContext c, CompletionRequest r) { events.add(c.callId() + " callStart"); }
      @Override public void routeSelected(CallContext c, Route r) { events.add(c.callId() + " routeSelected"); }
      @Override public void attemptEnd(CallContext c, Attempt a, java.net.URI server) {
        events.add(c.callId() + " attemptEnd " + a.outcome() + " " + server.getHost() + ":" + server.getPort());
      }
      @Override public void callEnd(CallContext c, Completion completion, CallRecord record) {
        events.add(c.callId() + " callEnd " + record.costUsd().stripTrailingZeros().toPlainString());
      }
      @Override public void callFailed(CallContext c, RuntimeException e, CallRecord record) {
        events.add(c.callId() + " callFailed " + record.errorType());
      }
    };
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: %s, base-url: %s }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            nightly-tagging: { tier: small, mode: batch, max-wait: 24h, max-output-tokens: 500 }
          batch: { poll-interval: 1h }
        """.formatted(OPENAI_KEY, server.url("/v1"));
    Llm llm = Finops4j.builder().openTelemetry(otel).meterRegistry(meters).eventListener(recorder)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
    built.add(llm);
    enqueueOpenAiLifecycle();
    BatchHandle handle = llm.submitBatch("nightly-tagging", items("acme", "globex", "initech"));
    poll(llm);
    poll(llm);
    List<BatchResult> results = handle.results().get(5, TimeUnit.SECONDS);

    String ok = results.get(0).completion().callId();
    String openai = server.getHostName() + ":" + server.getPort();
    assertThat(events.stream().filter(e -> e.startsWith(ok + " ")).toList()).containsExactly(
        ok + " callStart", ok + " routeSelected", ok + " attemptEnd ok " + openai, ok + " callEnd 0.000325");
    assertThat(events).filteredOn(e -> e.endsWith("callFailed batch_errored")).hasSize(1);

    // one span per item, with the item's cost, the served snapshot, the completion id and the server
    List<SpanData> itemSpans = spans.getFinishedSpanItems();
    assertThat(itemSpans).hasSize(3).allSatisfy(sp -> assertThat(sp.getName()).isEqualTo("chat gpt-5-mini"));
    SpanData first = itemSpans.stream().filter(sp -> ok.equals(sp.getAttributes().get(
        AttributeKey.stringKey("finops4j.call.id")))).findFirst().orElseThrow();
    assertThat(first.getAttributes().get(AttributeKey.doubleKey("finops4j.cost.usd"))).isEqualTo(0.000325);
    assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
        .isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id"))).isEqualTo("chatcmpl-1");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(server.getHostName());
    assertThat(first.getAttributes().get(AttributeKey.stringKey("finops4j.customer"))).isEqualTo("acme");

    // the batch spend is on the meters: the two priced items, and one error
    assertThat(meters.get("finops4j.cost").counters().stream().mapToDouble(c -> c.count()).sum())
        .isCloseTo(0.000325 + 0.00033475, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(meters.get("finops4j.calls").tag("outcome", "error").counter().count()).isEqualTo(1.0);
    otel.close();
  }

  @Test
  void aPriceOverrideKeepsTheBatchDiscount() throws Exception {
    // issue 19: an override giving input, cached-input and output used to replace the whole entry, so batch items
    // were priced at the full rate. Merged with the bundled entry, the batch half stays.
    Llm llm = openAi("""
          models:
            openai/gpt-5-mini: { input: 0.25, cached-input: 0.025, output: 2.00 }
        """);
    enqueueOpenAiLifecycle();
    BatchHandle handle = llm.submitBatch("nightly-tagging", items("acme", "globex", "initech"));
    for (int i = 0; i < 2; i++) {
      server.takeRequest(5, TimeUnit.SECONDS);
    }
    poll(llm);
    poll(llm);

    List<BatchResult> results = handle.results().get(5, TimeUnit.SECONDS);
    // the same line as openAiBatchLifeCycleWithOneFailedLine, priced at the batch rates 0.125 / 0.0125 / 1.00
    assertThat(results.get(0).completion().costUsd()).isEqualByComparingTo("0.000325");
  }

  @Test
  void anthropicMixOfSucceededErroredAndExpiredReleasesWhatWasNotBilled() throws Exception {
    Llm llm = anthropic();
    String resultsUrl = "\"" + server.url("/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d/results") + "\"";
    server.enqueue(ok(ANTHROPIC_BATCH.formatted("in_progress", 3, 0, 0, 0, "null")));
    server.enqueue(ok(ANTHROPIC_BATCH.formatted("in_progress", 2, 1, 0, 0, "null")));
    server.enqueue(ok(ANTHROPIC_BATCH.formatted("ended", 0, 1, 1, 1, resultsUrl)));
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/binary")
        .body(ANTHROPIC_RESULTS).build());

    Attribution acme = Attribution.of("acme", "tagging");
    BatchHandle handle = llm.submitBatch("refunds", List.of(
        BatchItem.of("t1", Prompt.builder().system("You approve refunds.").user("Refund order 1?").build(), acme),
        BatchItem.of("t2", Prompt.of("Refund order 2?"), acme),
        BatchItem.of("t3", Prompt.of("Refund order 3?"), acme)));
    assertThat(handle.id()).isEqualTo("msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d");

    RecordedRequest create = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(create.getTarget()).isEqualTo("/v1/messages/batches");
    assertThat(create.getHeaders().get("x-api-key")).isEqualTo("sk-ant-test-0000");
    assertThat(create.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode body = json.readTree(create.getBody().utf8());
    assertThat(body.get("requests")).hasSize(3);
    assertThat(body.at("/requests/0/custom_id").asText()).isEqualTo("t1");
    assertThat(body.at("/requests/0/params/model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(body.at("/requests/0/params/max_tokens").asInt()).isEqualTo(1000);
    assertThat(body.at("/requests/0/params/system").asText()).isEqualTo("You approve refunds.");

    // the worst case of all three items is held from submission on
    BudgetView.BudgetUsage before = llm.budgets().usage(acme).get(0);
    assertThat(before.spent()).isEqualByComparingTo("0");
    assertThat(before.reserved()).isPositive();

    poll(llm);
    assertThat(handle.results()).isNotDone();
    assertThat(llm.budgets().usage(acme).get(0).reserved()).isEqualByComparingTo(before.reserved());

    poll(llm);
    List<BatchResult> results = handle.results().get(5, TimeUnit.SECONDS);
    assertThat(results.get(0).completion().text()).isEqualTo("Refund approved.");
    // claude-haiku-4-5 at batch rates: 0.50 in, 2.50 out per 1M: 1200 x 0.5 + 80 x 2.5 = 800 micro-USD
    assertThat(results.get(0).completion().costUsd()).isEqualByComparingTo("0.0008");
    assertThat(results.get(1).errorType()).isEqualTo("errored");
    assertThat(results.get(1).errorMessage()).startsWith("invalid_request_error: max_tokens");
    assertThat(results.get(2).errorType()).isEqualTo("expired");

    // the expired and errored items released their reservation; only the answered one is spent
    BudgetView.BudgetUsage after = llm.budgets().usage(acme).get(0);
    assertThat(after.reserved()).isEqualByComparingTo("0");
    assertThat(after.spent()).isEqualByComparingTo("0.0008");
    assertThat(ledger).extracting(CallRecord::outcome)
        .containsExactly(CallRecord.OK, CallRecord.ERROR, CallRecord.ERROR);
    assertThat(ledger.get(2).errorType()).isEqualTo("batch_expired");

    server.takeRequest(5, TimeUnit.SECONDS);
    server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest download = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(download.getTarget()).isEqualTo("/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d/results");
    assertThat(download.getHeaders().get("x-api-key")).isEqualTo("sk-ant-test-0000");
  }

  @Test
  void aBatchOverTheBudgetIsRefusedWholeBeforeUpload() {
    Llm llm = build("""
        finops4j:
          providers:
            anthropic: { api-key: sk-ant-test-0000, base-url: %s }
          tiers:
            small: [anthropic/claude-haiku-4-5]
          tasks:
            refunds: { tier: small, mode: batch, max-output-tokens: 1000 }
          budgets:
            - { scope: customer, limit: 0.004, period: month }
        """.formatted(server.url("/")));
    Attribution acme = Attribution.of("acme", "tagging");
    // each item's worst case is about 0.0025 USD at batch rates: the first fits, the second cannot, so neither is held
    assertThatThrownBy(() -> llm.submitBatch("refunds", List.of(BatchItem.of("a", Prompt.of("x"), acme),
        BatchItem.of("b", Prompt.of("y"), acme))))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(server.getRequestCount()).isZero();
    assertThat(llm.budgets().usage(acme).get(0).reserved()).isEqualByComparingTo("0");
  }

  @Test
  void completeOnABatchTaskIsRejectedWithTheWayToRunIt() {
    Llm llm = openAi("");
    assertThatThrownBy(() -> llm.complete("nightly-tagging", Prompt.of("Tag this"), Attribution.of("acme", "x")))
        .isInstanceOf(Finops4jException.class)
        .hasMessageContaining("task 'nightly-tagging' runs in batch mode")
        .hasMessageContaining("llm.submitBatch(\"nightly-tagging\", items)");
    assertThat(server.getRequestCount()).isZero();
    assertThatThrownBy(() -> llm.submitBatch("chat", items("acme")))
        .hasMessageContaining("task 'chat' is not a batch task: add 'mode: batch' to finops4j.tasks.chat");
  }

  @Test
  void pendingBatchesSurviveARestartAndAreRecordedByTheNewInstance() throws Exception {
    Llm first = openAi("""
          budgets:
            - { scope: customer, limit: 10.00, period: month }
        """);
    enqueueOpenAiLifecycle();
    BatchHandle submitted = first.submitBatch("nightly-tagging", items("acme", "acme", "globex"));
    BigDecimal held = first.budgets().usage(Attribution.of("acme", "tagging")).get(0).reserved();
    assertThat(held).isPositive();
    first.close();
    assertThat(submitted.results()).isNotDone();

    JsonNode state = json.readTree(dir.resolve("batches.json").toFile());
    assertThat(state.at("/batches/0/id").asText()).isEqualTo("batch_abc123");
    assertThat(state.at("/batches/0/items/2/attribution/customer").asText()).isEqualTo("globex");
    assertThat(Files.readString(dir.resolve("batches.json"))).doesNotContain("Tag ticket");

    Llm second = openAi("""
          budgets:
            - { scope: customer, limit: 10.00, period: month }
        """);
    // the new instance holds the reservations again, before any result
    assertThat(second.budgets().usage(Attribution.of("acme", "tagging")).get(0).reserved())
        .isEqualByComparingTo(held);
    BatchHandle attached = second.attachBatch("batch_abc123");
    poll(second);
    poll(second);
    List<BatchResult> results = attached.results().get(5, TimeUnit.SECONDS);
    assertThat(results).extracting(BatchResult::ok).containsExactly(true, true, false);
    assertThat(ledger).hasSize(3);
    assertThat(ledger).extracting(r -> r.attribution().customer()).containsExactly("acme", "acme", "globex");
    BudgetView.BudgetUsage acme = second.budgets().usage(Attribution.of("acme", "tagging")).get(0);
    assertThat(acme.reserved()).isEqualByComparingTo("0");
    assertThat(acme.spent()).isEqualByComparingTo("0.00065975");
    assertThatThrownBy(() -> second.attachBatch("batch_abc123"))
        .hasMessageContaining("no pending batch 'batch_abc123'");
  }

  @Test
  void resultsArriveWithNobodyAttachedAndAreStillRecorded() {
    Llm first = openAi("");
    enqueueOpenAiLifecycle();
    first.submitBatch("nightly-tagging", items("acme", "globex", "initech"));
    first.close();
    Llm second = openAi("");
    poll(second);
    poll(second);
    assertThat(ledger).hasSize(3);
    assertThat(((Engine) second).batches().pendingIds()).isEmpty();
  }

  /** Records what the poller schedules instead of running it on a timer. */
  private static final class ManualScheduler extends java.util.concurrent.ScheduledThreadPoolExecutor {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delaysMillis = new ArrayList<>();

    ManualScheduler() {
      super(1);
    }

    @Override
    public java.util.concurrent.ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay,
        long delay, TimeUnit unit) {
      tasks.add(task);
      delaysMillis.add(unit.toMillis(initialDelay));
      delaysMillis.add(unit.toMillis(delay));
      return null;
    }
  }

  @Test
  void thePollerRunsOnTheSchedulerAtTheConfiguredInterval() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: %s, base-url: %s }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            nightly-tagging: { tier: small, mode: batch }
          batch: { poll-interval: 30s }
        """.formatted(OPENAI_KEY, server.url("/v1"));
    Llm llm = Finops4j.builder().listener(ledger::add).batchScheduler(scheduler)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
    built.add(llm);
    assertThat(scheduler.tasks).isEmpty(); // nothing pending: no poller yet
    assertThatThrownBy(() -> llm.submitBatch("nightly-tagging", List.of()))
        .hasMessage("a batch needs at least one item");

    enqueueOpenAiLifecycle();
    BatchHandle handle = llm.submitBatch("nightly-tagging", items("acme", "globex", "initech"));
    assertThat(scheduler.delaysMillis).containsExactly(30_000L, 30_000L);
    scheduler.tasks.get(0).run();
    assertThat(handle.status()).isEqualTo("in_progress");
    scheduler.tasks.get(0).run();
    assertThat(handle.results().get(5, TimeUnit.SECONDS)).hasSize(3);
    assertThat(ledger).hasSize(3);
    scheduler.shutdownNow();
  }

  @Test
  void openAiLimitIsCheckedBeforeAnythingIsUploaded() {
    Llm llm = openAi("");
    List<BatchItem> many = new ArrayList<>();
    for (int i = 0; i < 50_001; i++) {
      many.add(BatchItem.of("i" + i, Prompt.of("x"), Attribution.NONE));
    }
    assertThatThrownBy(() -> llm.submitBatch("nightly-tagging", many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 50000 requests, got 50001");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void maxWaitBelowTheProvidersWindowFailsAtStartUp() {
    assertThatThrownBy(() -> build("""
        finops4j:
          tiers: { small: [simulator/gpt-5-mini] }
          tasks:
            nightly: { tier: small, mode: batch, max-wait: 2h }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.nightly.max-wait")
        .hasMessageContaining("at least 24h");
    assertThatThrownBy(() -> build("""
        finops4j:
          tiers: { small: [simulator/gpt-5-mini] }
          tasks:
            chat: { tier: small, max-wait: 48h }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("max-wait applies only to tasks with mode: batch");
  }
}
