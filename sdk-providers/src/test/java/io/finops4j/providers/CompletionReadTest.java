package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A {@code chat.completion} body read field by field, as it streams by: the same answer, or the same complaint, as
 * reading it from a tree (a batch result line is read that way), whatever the order of its fields.
 */
class CompletionReadTest {

  private static ProviderResponse streamed(String body) throws IOException {
    try (JsonParser p = OpenAiClient.JSON.createParser(body)) {
      return OpenAiWire.COMPLETION.parse(p, "req-1");
    }
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
}
