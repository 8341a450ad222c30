package com.example.alone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.Plugin;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * finops4j-core with nothing else: no telemetry or ledger module (they plug in when present), no OpenTelemetry,
 * Micrometer or jtokkit (detected at run time), and calls still work and are priced.
 */
class CoreAloneTest {

  /**
   * A real gpt-4o-mini Chat Completions response, recorded by rileyeaton-ubc/SkySage
   * (app/config/ai_generation_sample.py), content shortened.
   */
  static final String RECORDED = """
      {"id":"chatcmpl-AZvnAqepiNWh0HdS4B023X7hpoGzU","object":"chat.completion","created":1733126996,
       "model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"billing","refusal":null},
                   "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":54,"completion_tokens":79,"total_tokens":133,
                "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,
                                             "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
       "system_fingerprint":"fp_0705bf87c0"}
      """;

  @Test
  void theOptionalLibrariesAreAbsent() {
    for (String name : new String[] {"io.opentelemetry.api.OpenTelemetry", "io.micrometer.core.instrument.MeterRegistry",
        "com.knuddels.jtokkit.Encodings"}) {
      assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void theTelemetryAndLedgerModulesAreAbsentAndNoPluginIsFound() {
    for (String name : new String[] {"io.finops4j.telemetry.Telemetry", "io.finops4j.ledger.LedgerWriter"}) {
      assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
    }
    assertThat(ServiceLoader.load(Plugin.class)).isEmpty();
  }

  @Test
  void aLedgerSectionWithoutTheLedgerModuleFailsNamingTheArtifactToAdd() {
    String yaml = """
        finops4j:
          ledger: { type: jsonl, path: target/ledger.jsonl }
        """;
    assertThatThrownBy(() -> Finops4j.fromConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.ledger")
        .hasMessageContaining("add the dependency io.finops4j:finops4j-ledger");
  }

  @Test
  void callsWorkAndArePricedWithoutThem() throws Exception {
    try (MockWebServer openai = new MockWebServer()) {
      openai.start();
      for (int i = 0; i < 2; i++) {
        openai.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body(RECORDED).build());
      }
      String yaml = """
          finops4j:
            providers:
              openai: { api-key: test-key, base-url: "%s" }
            tiers:
              small: [openai/gpt-4o-mini]
            tasks:
              classification: { tier: small, max-output-tokens: 100 }
          """.formatted(openai.url("/v1"));
      try (Llm llm = Finops4j.fromConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
        Completion sync = llm.complete("classification", Prompt.of("My invoice is wrong"),
            Attribution.of("acme", "support"));
        Completion async = llm.completeAsync("classification", Prompt.of("Where is my parcel?"),
            Attribution.of("acme", "support")).get();
        // gpt-4o-mini: 54 x 0.15 / 1e6 + 79 x 0.60 / 1e6 = 0.0000081 + 0.0000474 = 0.0000555 USD per call
        assertThat(sync.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000555"));
        assertThat(async.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000555"));
      }
    }
  }
}
