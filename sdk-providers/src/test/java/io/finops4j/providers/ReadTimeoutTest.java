package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The read timeout is the longest a call goes without progress (finops4j's watchdog, not okio's socket timeouts): a
 * server that stalls before its headers, or between two lines of a stream, is cut as OkHttp's read timeout would cut
 * it; a stream that keeps coming runs as long as it lasts, and a large request body goes out whole. The
 * {@code @Timeout}s only guard against a hang (the stalls below last until the test has its answer); they never
 * decide a result.
 */
class ReadTimeoutTest extends ServerTest {

  private OpenAiClient client;
  private int inFlightBefore;

  @BeforeEach
  void start() {
    client = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(server.url("/v1").toString())
        .readTimeout(Duration.ofMillis(500)).callTimeout(Duration.ofSeconds(60)).build();
    inFlightBefore = CallDeadlines.SHARED.inFlight();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  @Timeout(30)
  void aStallBeforeTheHeadersIsCutAtTheReadTimeout() {
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION).newBuilder()
        .headersDelay(10, TimeUnit.SECONDS).build());

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> client.complete(OpenAiClientTest.request()));

    assertThat(e.errorCode()).isEqualTo("timeout");
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class).hasMessage("timeout");
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  @Timeout(30)
  void aStreamThatStallsIsCutAtTheReadTimeoutAfterWhatArrived() {
    CountDownLatch release = new CountDownLatch(1); // the stall lasts until the test has its answer
    server.enqueue(stream(release, OpenAiClientTest.ROLE_CHUNK + OpenAiClientTest.contentChunk("Hello"),
        OpenAiClientTest.contentChunk(" there") + OpenAiClientTest.FINISH_CHUNK + OpenAiClientTest.DONE));
    List<String> deltas = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> client.stream(OpenAiClientTest.request(), deltas::add));
    release.countDown();

    assertThat(e.errorCode()).isEqualTo("timeout");
    assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
    assertThat(deltas).containsExactly("Hello");
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  @Timeout(30)
  void aStreamThatKeepsComingOutlastsTheReadTimeout() {
    // 40 deltas 50 ms apart: 2 s in all, four times the read timeout, a tenth of it between two lines
    List<String> parts = new ArrayList<>();
    parts.add(OpenAiClientTest.ROLE_CHUNK);
    for (int i = 0; i < 40; i++) {
      parts.add(OpenAiClientTest.contentChunk(i + " "));
    }
    parts.add(OpenAiClientTest.FINISH_CHUNK + OpenAiClientTest.DONE);
    server.enqueue(stream(null, parts.toArray(String[]::new)));
    List<String> deltas = new ArrayList<>();

    String text = client.stream(OpenAiClientTest.request(), deltas::add).text();

    assertThat(deltas).hasSize(40);
    assertThat(text).startsWith("0 1 2 ").endsWith(" 38 39 ");
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  void aLargeRequestBodyGoesOutWhole() throws Exception {
    String document = "0123456789abcdef".repeat(20_000); // 320 KB: written in 64 KiB chunks, each one progress
    Prompt prompt = Prompt.builder().system("Summarize.").user(document).build();
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION));

    assertThat(client.complete(new ProviderRequest("gpt-5-mini", prompt, 300, null, null, false)).text())
        .startsWith("Billing question");

    RecordedRequest recorded = server.takeRequest();
    String sent = recorded.getBody().utf8();
    assertThat(recorded.getBodySize()).isEqualTo(sent.getBytes(StandardCharsets.UTF_8).length)
        .isGreaterThan(ProgressBody.CHUNK * 4L);
    assertThat(json.readTree(sent).path("messages").path(1).path("content").asText()).isEqualTo(document);
  }

  /**
   * An event stream whose {@code parts} are sent 50 ms apart (the server's pace), or with {@code stall} non-null,
   * the first part, then the rest once {@code stall} is released.
   */
  private static MockResponse stream(CountDownLatch stall, String... parts) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", SSE).body(new MockResponseBody() {
      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        for (int i = 0; i < parts.length; i++) {
          if (i > 0) {
            try {
              if (stall == null) {
                Thread.sleep(50); // the server side's pace, not a wait for the test's result
              } else if (i == 1) {
                stall.await(20, TimeUnit.SECONDS);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          sink.writeUtf8(parts[i]).flush();
        }
      }
    }).build();
  }
}
