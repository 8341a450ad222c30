package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
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
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's call timeout bounds a whole call, body included, where the read timeout only bounds each wait: an answer
 * that trickles in a byte at a time is cut at the call timeout and fails as a timeout, as OkHttp's own would. The
 * read timeout is the longest a call goes without progress (finops4j's watchdog, not okio's socket timeouts): a
 * server that stalls before its headers, or between two lines of a stream, is cut as OkHttp's read timeout would cut
 * it; a stream that keeps coming runs as long as it lasts, and a large request body goes out whole. The
 * {@code @Timeout}s only guard against a hang (the trickles below would take minutes, the stalls last until the test
 * has its answer); they never decide a result.
 */
class CallTimeoutTest extends ServerTest {

  private OpenAiClient client;
  /** A client whose read timeout comes long before its call timeout. */
  private OpenAiClient readTimed;
  private int inFlightBefore;

  @BeforeEach
  void start() {
    client = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(server.url("/v1").toString())
        .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofMillis(300)).build();
    readTimed = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(server.url("/v1").toString())
        .readTimeout(Duration.ofMillis(500)).callTimeout(Duration.ofSeconds(60)).build();
    inFlightBefore = CallDeadlines.SHARED.inFlight();
  }

  @AfterEach
  void stop() {
    client.close();
    readTimed.close();
  }

  @Test
  @Timeout(30)
  void aTricklingAnswerIsCutAtTheCallTimeout() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_slow").body(trickle("", OpenAiClientTest.COMPLETION)).build());

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> client.complete(OpenAiClientTest.request()));

    assertThat(e.errorCode()).isEqualTo("timeout");
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("req_slow");
    assertThat(e.getCause()).isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  @Timeout(30)
  void aTricklingStreamIsCutAtTheCallTimeoutAfterWhatArrived() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", SSE)
        .body(trickle(OpenAiClientTest.ROLE_CHUNK + OpenAiClientTest.contentChunk("Hello"),
            OpenAiClientTest.contentChunk(" there") + OpenAiClientTest.FINISH_CHUNK + OpenAiClientTest.DONE))
        .build());
    List<String> deltas = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> client.stream(OpenAiClientTest.request(), deltas::add));

    assertThat(e.errorCode()).isEqualTo("timeout");
    assertThat(e.status()).isZero(); // a timeout, wherever it struck
    assertThat(deltas).containsExactly("Hello"); // what arrived before the cut was delivered
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  void aNegativeCallTimeoutIsRefusedAndZeroMeansNone() {
    assertThatThrownBy(() -> OpenAiClient.builder().callTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("callTimeout must not be negative: PT-1S");
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION));
    try (OpenAiClient untimed = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY)
        .baseUrl(server.url("/v1").toString()).callTimeout(Duration.ZERO).build()) {
      assertThat(untimed.callTimeout()).isZero();
      assertThat(untimed.complete(OpenAiClientTest.request()).text()).startsWith("Billing question");
    }
  }

  /** A body whose {@code head} is sent at once and whose {@code tail} trickles in a byte every 100 ms. */
  private static MockResponseBody trickle(String head, String tail) {
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8(head).flush();
        for (byte b : tail.getBytes(StandardCharsets.UTF_8)) {
          try {
            Thread.sleep(100); // the server side's pace, not a wait for the test's result
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          sink.writeByte(b).flush();
        }
      }
    };
  }

  @Test
  void callsThatEndLeaveNothingBehind() {
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION));
    server.enqueue(OpenAiClientTest.json(429, OpenAiClientTest.RATE_LIMIT));
    server.enqueue(OpenAiClientTest.sse(
        OpenAiClientTest.ROLE_CHUNK + OpenAiClientTest.contentChunk("Hi") + OpenAiClientTest.DONE));

    assertThat(client.complete(OpenAiClientTest.request()).text()).startsWith("Billing question");
    assertThat(catchThrowableOfType(ProviderException.class, () -> client.complete(OpenAiClientTest.request()))
        .errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(client.stream(OpenAiClientTest.request(), d -> { }).text()).isEqualTo("Hi");
    server.close();
    assertThat(catchThrowableOfType(ProviderException.class, () -> client.complete(OpenAiClientTest.request()))
        .errorCode()).isEqualTo("io_error");

    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  @Timeout(30)
  void aCallDueSoonerThanAllInFlightWakesTheWatchdog() {
    CallDeadlines deadlines = new CallDeadlines(TimeUnit.MINUTES.toNanos(1));
    OkHttpClient http = new OkHttpClient();
    Request request = new Request.Builder().url(server.url("/never")).build();
    Call late = http.newCall(request);
    Call soon = http.newCall(request);

    CallDeadlines.Timed lateTimed = deadlines.start(late, TimeUnit.DAYS.toNanos(1), 0); // the watchdog sleeps a day
    CallDeadlines.Timed soonTimed = deadlines.start(soon, TimeUnit.MILLISECONDS.toNanos(1), 0);
    while (!soon.isCanceled()) {
      Thread.onSpinWait();
    }

    assertThat(soonTimed.cut()).isEqualTo(CallDeadlines.Cut.CALL_TIMEOUT);
    assertThat(late.isCanceled()).isFalse();
    assertThat(lateTimed.cut()).isEqualTo(CallDeadlines.Cut.NO);
    lateTimed.close();
    assertThat(deadlines.inFlight()).isZero();
  }

  @Test
  @Timeout(30)
  void theWatchdogStopsWhenIdleAndTheNextCallStartsItAgain() {
    CallDeadlines deadlines = new CallDeadlines(0); // stops as soon as nothing is in flight
    OkHttpClient http = new OkHttpClient();
    Request request = new Request.Builder().url(server.url("/never")).build();
    Call first = http.newCall(request);
    Call second = http.newCall(request);

    CallDeadlines.Timed firstTimed = deadlines.start(first, 1, 0);
    while (deadlines.watching()) {
      Thread.onSpinWait();
    }
    CallDeadlines.Timed secondTimed = deadlines.start(second, 1, 0);
    while (!second.isCanceled()) {
      Thread.onSpinWait();
    }

    assertThat(first.isCanceled()).isTrue();
    assertThat(firstTimed.cut()).isEqualTo(CallDeadlines.Cut.CALL_TIMEOUT);
    assertThat(secondTimed.cut()).isEqualTo(CallDeadlines.Cut.CALL_TIMEOUT);
    assertThat(deadlines.inFlight()).isZero();
  }

  @Test
  @Timeout(30)
  void aStallBeforeTheHeadersIsCutAtTheReadTimeout() {
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION).newBuilder()
        .headersDelay(10, TimeUnit.SECONDS).build());

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> readTimed.complete(OpenAiClientTest.request()));

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
        () -> readTimed.stream(OpenAiClientTest.request(), deltas::add));
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

    String text = readTimed.stream(OpenAiClientTest.request(), deltas::add).text();

    assertThat(deltas).hasSize(40);
    assertThat(text).startsWith("0 1 2 ").endsWith(" 38 39 ");
    assertThat(CallDeadlines.SHARED.inFlight()).isEqualTo(inFlightBefore);
  }

  @Test
  void aLargeRequestBodyGoesOutWhole() throws Exception {
    String document = "0123456789abcdef".repeat(20_000); // 320 KB: written in 64 KiB chunks, each one progress
    Prompt prompt = Prompt.builder().system("Summarize.").user(document).build();
    server.enqueue(OpenAiClientTest.json(200, OpenAiClientTest.COMPLETION));

    assertThat(readTimed.complete(new ProviderRequest("gpt-5-mini", prompt, 300, null, null, false)).text())
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
