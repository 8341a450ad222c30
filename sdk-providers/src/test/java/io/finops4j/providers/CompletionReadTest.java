package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A {@code chat.completion} body read field by field, as it streams by: the same answer, or the same complaint, as
 * reading it from a tree (a batch result line is read that way), whatever the order of its fields.
 */
class CompletionReadTest {

  private static ProviderResponse streamed(String body) throws IOException {
    return OpenAiWire.COMPLETION.parse(body.getBytes(StandardCharsets.UTF_8), "req-1");
  }

  private static ProviderResponse fromTree(String body) throws IOException {
    return OpenAiWire.COMPLETION.parse(OpenAiClient.JSON.readTree(body), "req-1");
  }

  @Test
  void aRecordedAnswerReadsTheSameStreamedAsFromATree() throws IOException {
    for (String body : new String[] {OpenAiClientTest.COMPLETION,
        "{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":3}},"
            + "\"service_tier\":\"flex\",\"choices\":[{\"finish_reason\":\"length\",\"message\":{\"content\":\"Hi\"}}],"
            + "\"model\":\"gpt-5-mini-2025-08-07\",\"id\":\"chatcmpl-9\"}"}) {
      ProviderResponse s = streamed(body);
      ProviderResponse t = fromTree(body);
      assertThat(s.text()).isEqualTo(t.text());
      assertThat(s.model()).isEqualTo(t.model());
      assertThat(s.usage()).isEqualTo(t.usage());
      assertThat(s.finishReason()).isEqualTo(t.finishReason());
      assertThat(s.responseId()).isEqualTo(t.responseId());
      assertThat(s.requestId()).isEqualTo("req-1");
      assertThat(s.toolCalls()).isEqualTo(t.toolCalls());
    }
    ProviderResponse flex = streamed("{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2},"
        + "\"service_tier\":\"flex\",\"choices\":[{\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}");
    assertThat(flex.usage().raw()).containsEntry("service_tier=flex", 1L).containsEntry("prompt_tokens", 7L);
    assertThat(flex.usage().inputTokens()).isEqualTo(7);
  }

  @Test
  void theLastOfARepeatedFieldCountsAndOddValuesReadAsATreeReadsThem() throws IOException {
    ProviderResponse r = streamed("{\"choices\":[],\"choices\":[{\"message\":{\"content\":42,\"refusal\":\"no\"}},"
        + "{\"message\":{\"content\":\"second choice\"}}],\"model\":null,\"id\":[1]}");
    assertThat(r.text()).isEqualTo("42");
    assertThat(r.model()).isNull();
    assertThat(r.responseId()).isEmpty(); // an array's text in a tree
    assertThat(r.usage()).isNull(); // not reported is not zero
    assertThat(streamed("{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"I can't help with that\"}}]}")
        .text()).isEqualTo("I can't help with that");
  }

  @Test
  void aUsageOfManyFieldsReadsAsFromATree() throws IOException {
    for (int fields : new int[] {15, 16, 17, 31, 32, 33, 40}) {
      StringBuilder usage = new StringBuilder("{\"prompt_tokens\":9,\"completion_tokens\":2");
      for (int i = 2; i < fields; i++) {
        usage.append(",\"extra_").append(i).append("\":").append(i);
      }
      String body = "{\"choices\":[{\"message\":{\"content\":\"Hi\"}}],\"usage\":" + usage + "}}";
      ProviderResponse s = streamed(body);
      assertThat(s.usage()).as("%d fields", fields).isEqualTo(fromTree(body).usage());
      assertThat(s.usage().raw()).hasSize(fields).containsEntry("extra_" + (fields - 1), (long) fields - 1);
    }
    // a repeat past the 16 names first kept is still a repeat: the last value counts
    StringBuilder usage = new StringBuilder("{\"prompt_tokens\":9,\"completion_tokens\":2");
    for (int i = 2; i < 20; i++) {
      usage.append(",\"extra_").append(i).append("\":").append(i);
    }
    usage.append(",\"extra_18\":1800,\"prompt_tokens\":7}");
    ProviderResponse r = streamed("{\"choices\":[{\"message\":{\"content\":\"Hi\"}}],\"usage\":" + usage + "}");
    assertThat(r.usage().inputTokens()).isEqualTo(7);
    assertThat(r.usage().raw()).containsEntry("extra_18", 1800L).hasSize(20);
  }

  @Test
  void aBodyWithoutWhatEveryAnswerHasIsRefusedByName() {
    assertThatThrownBy(() -> streamed("")).hasMessage("response body is not a JSON object");
    assertThatThrownBy(() -> streamed("[1]")).hasMessage("response body is not a JSON object");
    assertThatThrownBy(() -> streamed("{\"choices\":{}}")).hasMessage("response has no choices");
    assertThatThrownBy(() -> streamed("{\"choices\":[{\"message\":{}}],\"choices\":[]}"))
        .hasMessage("response has no choices");
    assertThatThrownBy(() -> streamed("{\"choices\":[7,{\"message\":{}}]}"))
        .hasMessage("response choice has no message");
    assertThatThrownBy(() -> streamed("{\"choices\":[{\"message\":\"Hi\"}]}"))
        .hasMessage("response choice has no message");
  }

  @Test
  void aBrokenBodyIsNotJsonEvenWhereItsStartLooksLikeAnAnswer() {
    assertThatThrownBy(() -> streamed("[1,2")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> streamed("{\"choices\":[],\"usage\":{\"prompt_tokens\":1,")).isInstanceOf(
        JsonProcessingException.class);
  }

  /** Answers whose usage has every shape the reader handles: details, markers, repeats, odd values, collisions. */
  private static final String[] USAGE_SEEDS = {
      OpenAiClientTest.COMPLETION,
      "{\"id\":\"chatcmpl-loop\",\"model\":\"gpt-5-mini-2025-08-07\",\"choices\":[{\"index\":0,\"message\":{"
          + "\"role\":\"assistant\",\"content\":\"billing\",\"refusal\":null,\"annotations\":[]},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":260,\"completion_tokens\":2,"
          + "\"total_tokens\":262,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
          + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\"}",
      "{\"choices\":[{\"message\":{\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":5,"
          + "\"prompt_cache_hit_tokens\":64,\"prompt_cache_miss_tokens\":26,\"prompt_tokens_details\":{"
          + "\"cached_tokens\":0,\"cache_write_tokens\":12},\"inference_geo\":\"us\",\"speed\":\"fast\"}}",
      "{\"choices\":[{\"message\":{\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
          + "\"prompt_tokens\":7,\"a.b\":1,\"a\":{\"b\":2,\"c\":{\"d\":3}},\"a=x\":4,\"a\":\"x\","
          + "\"completion_tokens_details\":{\"reasoning_tokens\":1},\"completion_tokens_details\":null},"
          + "\"service_tier\":\"priority\"}",
      "{\"choices\":[{\"message\":{\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":9.0,\"completion_tokens\":2,"
          + "\"big\":18446744073709551616,\"neg\":-1,\"t\":true,\"arr\":[1,{\"x\":2}],\"s\":\"not a marker!\","
          + "\"prompt_tokens_details\":[1],\"completion_tokens_details\":{\"reasoning_tokens\":\"3\"}}}"};

  @Test
  void usageReadAsItStreamsByIsTheUsageOfItsTreeUnderSeededEdits() throws Exception {
    Random rnd = new Random(0x24_2026L);
    for (int i = 0; i < 20_000; i++) {
      String body = i < USAGE_SEEDS.length ? USAGE_SEEDS[i]
          : ParserFuzzTest.mutate(USAGE_SEEDS[rnd.nextInt(USAGE_SEEDS.length)], rnd);
      if (!body.strip().startsWith("{")) {
        continue; // not an object at all: the tests above say what that gives
      }
      assertThat(outcome(() -> streamed(body))).as("edit %d: %s", i, body).isEqualTo(fromItsTree(body));
    }
  }

  /** What the answer was when its usage was read from a tree by {@link OpenAiWire#usage(JsonNode, String, String)}. */
  private static Object fromItsTree(String body) throws Exception {
    JsonNode tree;
    try {
      tree = OpenAiClient.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return "not JSON";
    }
    Object answer = outcome(() -> fromTree(body));
    if (answer instanceof String complaint && !complaint.startsWith("usage ")) {
      return answer; // the answer's own complaints come before its usage's
    }
    try {
      var usage = OpenAiWire.usage(tree.get("usage"), "service_tier", OpenAiWire.textOrNull(tree.get("service_tier")));
      return outcome(() -> {
        ProviderResponse r = fromTree(body);
        return new ProviderResponse(r.text(), r.model(), usage, r.finishReason(), r.requestId(), r.responseId(),
            r.toolCalls());
      });
    } catch (OpenAiWire.MalformedException e) {
      return e.getMessage();
    }
  }

  private static Object outcome(Callable<ProviderResponse> read) throws Exception {
    try {
      ProviderResponse r = read.call();
      return Arrays.asList(r.text(), r.model(), r.usage(), r.finishReason(), r.responseId(), r.toolCalls());
    } catch (JsonProcessingException e) {
      return "not JSON";
    } catch (OpenAiWire.MalformedException e) {
      return e.getMessage();
    }
  }
}
