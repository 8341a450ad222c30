package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * A completion says which response it is and what served it: the response object's own id and the snapshot the
 * provider reported, next to the request-id header and the catalog model it was routed to and priced as; its span
 * says the same, and which server answered.
 */
class ResponseIdentityTest {

  @Test
  void theResponseIdAndTheServedSnapshotReachTheCompletion() throws Exception {
    try (MockWebServer openai = new MockWebServer()) {
      openai.start();
      openai.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .addHeader("x-request-id", "req_7f3a").body(ModelRulesTest.RECORDED).build());
      String yaml = """
          finops4j:
            providers:
              openai: { api-key: sk-test-0000, base-url: %s }
            tiers:
              small: [openai/gpt-4o-mini]
            tasks:
              classification: { tier: small, max-output-tokens: 100 }
          """.formatted(openai.url("/v1"));
      InMemorySpanExporter spans = InMemorySpanExporter.create();
      OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
      try (Llm llm = Finops4j.builder().openTelemetry(otel).config(ConfigLoader.load(
          new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml")).build()) {
        Completion c = llm.complete("classification", Prompt.of("Where is my invoice?"),
            Attribution.of("acme", "triage"));
        assertThat(c.responseId()).isEqualTo("chatcmpl-AZvnAqepiNWh0HdS4B023X7hpoGzU");
        assertThat(c.requestId()).isEqualTo("req_7f3a");
        assertThat(c.servedModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(c.model()).isEqualTo(ModelId.parse("openai/gpt-4o-mini"));
      }
      // the call's span names the server the call went to, and the response's own id and snapshot
      SpanData span = spans.getFinishedSpanItems().stream().filter(s -> !s.getParentSpanContext().isValid())
          .findFirst().orElseThrow();
      // its attempt's span (the current span while the HTTP client ran) names the server too
      SpanData attempt = spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanContext().isValid())
          .findFirst().orElseThrow();
      assertThat(attempt.getParentSpanId()).isEqualTo(span.getSpanId());
      assertThat(attempt.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(openai.getHostName());
      assertThat(attempt.getAttributes().get(AttributeKey.stringKey("finops4j.provider.request_id")))
          .isEqualTo("req_7f3a");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(openai.getHostName());
      assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) openai.getPort());
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id")))
          .isEqualTo("chatcmpl-AZvnAqepiNWh0HdS4B023X7hpoGzU");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
          .isEqualTo("gpt-4o-mini-2024-07-18");
    }
  }
}
