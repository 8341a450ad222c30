package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  static List<String> events(String wire) throws IOException {
    SseReader reader = new SseReader(new Buffer().writeUtf8(wire), () -> { });
    List<String> out = new ArrayList<>();
    String data;
    while ((data = reader.next()) != null) {
      out.add(data);
    }
    return out;
  }

  @Test
  void readsDataOfCompleteEventsOnly() throws IOException {
    assertThat(events(": keep-alive\r\n\r\nevent: message\r\ndata: {\"a\":1}\r\n\r\ndata:{\"b\":2}\n\n"))
        .containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(events("data: first\ndata: second\n\n")).containsExactly("first\nsecond");
  }

  @Test
  void anEventCutBeforeItsBlankLineIsDropped() throws IOException {
    assertThat(events("data: {\"a\":1}\n\ndata: {\"b\":2}\n")).containsExactly("{\"a\":1}");
    assertThat(events("data: {\"a\":1}\n\ndata: {\"b\"")).containsExactly("{\"a\":1}");
  }

  @Test
  void doneWithoutItsFinalNewlinesStillEndsTheStream() throws IOException {
    assertThat(events("data: {\"a\":1}\n\ndata: [DONE]")).containsExactly("{\"a\":1}", "[DONE]");
    assertThat(events("data: {\"a\":1}\n\ndata: [DONE]\n")).containsExactly("{\"a\":1}", "[DONE]");
  }
}
