package io.finops4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.providers.OpenAiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
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
 * CPU cost of the OpenAI client on a stub transport (an OkHttp interceptor answers from memory, no socket):
 * a whole streamed call of {@code chunks} content chunks plus the usage chunk (T12: per chunk), a non-streaming
 * call with a 4 KB prompt, and the same two done with raw OkHttp + Jackson as the baseline.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SseParseBenchmark -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SseParseBenchmark {

  private static final MediaType SSE = MediaType.get("text/event-stream; charset=utf-8");
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String HEAD = "{\"id\":\"chatcmpl-C7xR\",\"object\":\"chat.completion.chunk\",\"created\":1756215001,"
      + "\"model\":\"gpt-5-mini-2025-08-07\",\"service_tier\":\"default\",\"system_fingerprint\":null,";

  @Param({"100"})
  public int chunks;

  private byte[] streamBody;
  private byte[] completionBody;
  private OkHttpClient http;
  private OpenAiClient streamClient;
  private OpenAiClient completeClient;
  private OkHttpClient rawStreamHttp;
  private OkHttpClient rawCompleteHttp;
  private ProviderRequest request;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder s = new StringBuilder();
    s.append("data: ").append(HEAD).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < chunks; i++) {
      s.append("data: ").append(HEAD).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word").append(i)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"ab12\"}\n\n");
    }
    s.append("data: ").append(HEAD).append("\"choices\":[],\"usage\":{\"prompt_tokens\":1317,\"completion_tokens\":128,"
        + "\"total_tokens\":1445,\"prompt_tokens_details\":{\"cached_tokens\":1152,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":64,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}}}\n\ndata: [DONE]\n\n");
    streamBody = s.toString().getBytes(StandardCharsets.UTF_8);
    completionBody = ("{\"id\":\"chatcmpl-C7x\",\"object\":\"chat.completion\",\"created\":1756215000,"
        + "\"model\":\"gpt-5-mini-2025-08-07\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Billing question: the customer was charged twice.\",\"refusal\":null,\"annotations\":[]},"
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,"
        + "\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":256,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\"}")
        .getBytes(StandardCharsets.UTF_8);

    http = new OkHttpClient();
    rawStreamHttp = stub(streamBody, SSE);
    rawCompleteHttp = stub(completionBody, JSON);
    streamClient = OpenAiClient.builder().apiKey("sk-bench").baseUrl("http://stub.invalid/v1")
        .httpClient(rawStreamHttp).build();
    completeClient = OpenAiClient.builder().apiKey("sk-bench").baseUrl("http://stub.invalid/v1")
        .httpClient(rawCompleteHttp).build();
    StringBuilder prompt = new StringBuilder();
    while (prompt.length() < 4096) {
      prompt.append("The customer says the invoice for March shows a duplicate charge. ");
    }
    request = new ProviderRequest("gpt-5-mini", Prompt.builder().system("Classify the ticket.")
        .user(prompt.substring(0, 4096)).build(), 300, null, "user-42", false);
  }

  private OkHttpClient stub(byte[] body, MediaType type) {
    return http.newBuilder().addInterceptor(chain -> new Response.Builder().request(chain.request())
        .protocol(Protocol.HTTP_1_1).code(200).message("OK").header("x-request-id", "req_1")
        .body(ResponseBody.create(body, type)).build()).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    http.dispatcher().executorService().shutdown();
  }

  @Benchmark
  public ProviderResponse finops4jStream(Blackhole bh) {
    return streamClient.stream(request, bh::consume);
  }

  @Benchmark
  public ProviderResponse finops4jComplete() {
    return completeClient.complete(request);
  }

  /** Baseline: what any OpenAI client must do at least (request JSON, call, read lines, parse each chunk). */
  @Benchmark
  public void rawStream(Blackhole bh) throws IOException {
    try (Response r = rawStreamHttp.newCall(rawRequest(true)).execute()) {
      BufferedSource source = r.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
          JsonNode n = mapper.readTree(line.substring(6));
          JsonNode choices = n.get("choices");
          if (choices.size() > 0) {
            bh.consume(choices.get(0).path("delta").path("content").asText());
          } else {
            bh.consume(n.get("usage").get("prompt_tokens").asLong());
          }
        }
      }
    }
  }

  @Benchmark
  public JsonNode rawComplete() throws IOException {
    try (Response r = rawCompleteHttp.newCall(rawRequest(false)).execute()) {
      return mapper.readTree(r.body().byteStream());
    }
  }

  private Request rawRequest(boolean stream) throws IOException {
    var body = mapper.createObjectNode();
    body.put("model", request.model());
    var messages = body.putArray("messages");
    for (Prompt.Message m : request.prompt().messages()) {
      messages.addObject().put("role", m.role().name().toLowerCase()).put("content", m.content());
    }
    body.put("max_completion_tokens", 300);
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return new Request.Builder().url("http://stub.invalid/v1/chat/completions")
        .header("Authorization", "Bearer sk-bench")
        .post(RequestBody.create(mapper.writeValueAsBytes(body), JSON)).build();
  }
}
