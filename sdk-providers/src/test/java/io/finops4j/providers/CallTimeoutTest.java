package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.ProviderException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
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
 * {@code @Timeout}s only guard against a hang (the trickles below would take minutes); they never decide a result.
 */
class CallTimeoutTest extends ServerTest {

  private OpenAiClient client;
  private int inFlightBefore;

  @BeforeEach
  void start() {
    client = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(server.url("/v1").toString())
        .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofMillis(300)).build();
    inFlightBefore = CallDeadlines.SHARED.inFlight();
  }

  @AfterEach
  void stop() {
    client.close();
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

    assertThat(soonTimed.expired()).isTrue();
    assertThat(late.isCanceled()).isFalse();
    assertThat(lateTimed.expired()).isFalse();
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
    assertThat(firstTimed.expired()).isTrue();
    assertThat(secondTimed.expired()).isTrue();
    assertThat(deadlines.inFlight()).isZero();
  }
}
