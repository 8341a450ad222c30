package io.finops4j.providers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OpenAI-wire provider known by name: its base URL, whether it needs a key, and which field carries the
 * output ceiling ({@code max_tokens} is what most compatible servers understand).
 */
record Preset(String name, String baseUrl, boolean needsKey, String maxTokensField) {

  static final Map<String, Preset> ALL = all();

  private static Map<String, Preset> all() {
    Map<String, Preset> m = new LinkedHashMap<>();
    put(m, new Preset("openai", OpenAiClient.DEFAULT_BASE_URL, true, OpenAiClient.MAX_COMPLETION_TOKENS));
    put(m, new Preset("deepseek", "https://api.deepseek.com/v1", true, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("groq", "https://api.groq.com/openai/v1", true, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("together", "https://api.together.xyz/v1", true, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("fireworks", "https://api.fireworks.ai/inference/v1", true, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("mistral", "https://api.mistral.ai/v1", true, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("ollama", "http://localhost:11434/v1", false, OpenAiClient.MAX_TOKENS));
    put(m, new Preset("vllm", "http://localhost:8000/v1", false, OpenAiClient.MAX_TOKENS));
    return Map.copyOf(m);
  }

  private static void put(Map<String, Preset> m, Preset p) {
    m.put(p.name(), p);
  }
}
