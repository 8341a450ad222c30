package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CompletionStream;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.providers.AnthropicClient;
import io.finops4j.providers.GeminiClient;
import io.finops4j.routing.RoutingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU cost of streaming on a stub transport (an OkHttp interceptor answers from memory, no socket), for a stream
 * of {@code chunks} text deltas: the Anthropic and Gemini clients alone (event parsing, usage replacement), and
 * the whole facade (every control on) with the callback {@code Llm.stream(request, listener)} versus the pull
 * {@code Llm.stream(task, prompt, attribution)} iterator, whose difference is the cost of the hand-off between
 * threads. Divide by {@code chunks} for the per-chunk figure (T12).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StreamingBenchmark -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StreamingBenchmark {

  private static final MediaType SSE = MediaType.get("text/event-stream; charset=utf-8");

  @Param({"100"})
  public int chunks;

  private OkHttpClient http;
  private AnthropicClient anthropic;
  private GeminiClient gemini;
  private Llm llm;
  private ProviderRequest anthropicRequest;
  private ProviderRequest geminiRequest;
  private CompletionRequest facadeRequest;

  @Setup(Level.Trial)
  public void setUp() {
    http = new OkHttpClient();
    anthropic = AnthropicClient.builder().apiKey("sk-ant-bench").baseUrl("http://stub.invalid")
        .httpClient(stub(anthropicBody())).build();
    gemini = GeminiClient.builder().apiKey("AIza-bench").baseUrl("http://stub.invalid")
        .httpClient(stub(geminiBody())).build();
    Prompt prompt = Prompt.builder().system("Answer the customer.").user("Where is my refund?").build();
    anthropicRequest = new ProviderRequest("claude-haiku-4-5", prompt, 300, null, "user-42", false);
    geminiRequest = new ProviderRequest("gemini-2.5-flash", prompt, 300, null, null, false);
    AnthropicClient facadeClient = AnthropicClient.builder().apiKey("sk-ant-bench").baseUrl("http://stub.invalid")
        .httpClient(stub(anthropicBody())).build();
    llm = Finops4j.builder().provider(facadeClient)
        .policy(RoutingPolicy.builder().tier("small", "anthropic/claude-haiku-4-5").task("chat", "small").build())
        .build();
    facadeRequest = CompletionRequest.builder("chat", prompt).attribution(Attribution.of("acme", "chat")).build();
  }

  private String anthropicBody() {
    StringBuilder s = new StringBuilder();
    s.append(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5-20251001\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":1200,\"output_tokens\":1}}}"));
    s.append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}"));
    for (int i = 0; i < chunks; i++) {
      s.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
          + "\"text_delta\",\"text\":\" word" + i + "\"}}"));
    }
    s.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    s.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (chunks * 2) + "}}"));
    s.append(event("message_stop", "{\"type\":\"message_stop\"}"));
    return s.toString();
  }

  private String geminiBody() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      boolean last = i == chunks - 1;
      s.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" word").append(i)
          .append("\"}],\"role\": \"model\"}").append(last ? ",\"finishReason\": \"STOP\"" : "")
          .append(",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 1200,\"candidatesTokenCount\": ")
          .append(i * 2).append(",\"totalTokenCount\": ").append(1200 + i * 2)
          .append("},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp_1\"}\r\n\r\n");
    }
    return s.toString();
  }

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  private OkHttpClient stub(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.newBuilder().addInterceptor(chain -> new Response.Builder().request(chain.request())
        .protocol(Protocol.HTTP_1_1).code(200).message("OK").header("request-id", "req_1")
        .body(ResponseBody.create(bytes, SSE)).build()).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    llm.close();
    http.dispatcher().executorService().shutdown();
  }

  @Benchmark
  public ProviderResponse anthropicStream(Blackhole bh) {
    return anthropic.stream(anthropicRequest, bh::consume);
  }

  @Benchmark
  public ProviderResponse geminiStream(Blackhole bh) {
    return gemini.stream(geminiRequest, bh::consume);
  }

  @Benchmark
  public Completion facadeCallbackStream(Blackhole bh) {
    return llm.stream(facadeRequest, bh::consume);
  }

  @Benchmark
  public Completion facadePullStream(Blackhole bh) {
    try (CompletionStream s = llm.stream("chat", facadeRequest.prompt(), facadeRequest.attribution())) {
      for (String delta : s) {
        bh.consume(delta);
      }
      return s.completion();
    }
  }
}
