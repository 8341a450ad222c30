package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Moving a task to an Azure deployment is a YAML edit: the deployment is priced as the model it runs. */
class AzurePricingTest {

  static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":"
      + "\"gpt-5-mini-2025-08-07\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"billing\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,"
      + "\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920}}}";

  @Test
  void azureDeploymentIsPricedAsItsMappedModelWithoutAModelsEntry() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(COMPLETION).build());
      Map<String, Object> config = Map.of(
          "providers", Map.of("azure", Map.of("endpoint", server.url("/").toString(), "api-key", "az-key-1",
              "deployments", Map.of("my-gpt5-mini-deployment", "gpt-5-mini"))),
          "tiers", Map.of("small", List.of("azure/my-gpt5-mini-deployment")),
          "tasks", Map.of("chat", Map.of("tier", "small")));

      Completion c;
      try (Llm llm = Finops4j.builder().config(ConfigLoader.of(config, "test.yaml")).build()) {
        c = llm.complete("chat", Prompt.of("q"), Attribution.of("acme", "chat"));
      }

      // openai/gpt-5-mini rates: 86 x 0.25 + 1920 x 0.025 + 300 x 2.00 = 669.5 per 1M
      assertThat(c.costUsd()).isEqualByComparingTo("0.0006695");
      assertThat(c.model().toString()).isEqualTo("azure/my-gpt5-mini-deployment");
      RecordedRequest rec = server.takeRequest();
      assertThat(rec.getTarget()).startsWith("/openai/deployments/my-gpt5-mini-deployment/chat/completions?api-version=");
      assertThat(rec.getHeaders().get("api-key")).isEqualTo("az-key-1");
    }
  }
}
