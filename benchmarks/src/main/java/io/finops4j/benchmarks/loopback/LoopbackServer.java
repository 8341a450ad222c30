package io.finops4j.benchmarks.loopback;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 that answers every POST with one fixed OpenAI Chat Completions response
 * (usage with cached and reasoning tokens, an {@code x-request-id}). One thread per connection, keep-alive, no
 * parsing beyond the headers and {@code Content-Length}: the server's own cost is small and the same for every
 * client measured against it, so what differs between clients is the clients.
 *
 * <p>A {@link Fault} per request number lets a soak test inject 429s, 500s and connection resets.
 */
public final class LoopbackServer implements AutoCloseable {

  /** What the server does with one request. */
  public enum Fault { NONE, RATE_LIMITED, SERVER_ERROR, RESET }

  /** The chat completion every call gets: a recorded OpenAI answer with a full usage object. */
  public static final String ANSWER = "{\"id\":\"chatcmpl-loop\",\"object\":\"chat.completion\",\"created\":1764000000,"
      + "\"model\":\"gpt-5-mini-2025-08-07\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"billing\",\"refusal\":null,\"annotations\":[]},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":260,\"completion_tokens\":2,\"total_tokens\":262,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
      + "\"service_tier\":\"default\",\"system_fingerprint\":null}";

  private static final byte[] OK = response(200, "OK", ANSWER, "");
  private static final byte[] RATE_LIMITED = response(429, "Too Many Requests",
      "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,"
          + "\"code\":\"rate_limit_exceeded\"}}", "retry-after-ms: 1\r\n");
  private static final byte[] SERVER_ERROR = response(500, "Internal Server Error",
      "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,"
          + "\"code\":null}}", "");

  private final ServerSocket socket;
  private final LongFunction<Fault> faults;
  private final AtomicLong requests = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private LoopbackServer(LongFunction<Fault> faults) throws IOException {
    this.faults = faults;
    this.socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "loopback-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server that answers every request with the fixed completion. */
  public static LoopbackServer start() throws IOException {
    return new LoopbackServer(n -> Fault.NONE);
  }

  /** A server that treats request number {@code n} (from 0) as {@code faults.apply(n)} says. */
  public static LoopbackServer start(LongFunction<Fault> faults) throws IOException {
    return new LoopbackServer(faults);
  }

  /** The base URL an OpenAI client takes, e.g. {@code http://127.0.0.1:40123/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  /** Requests received so far, faults included. */
  public long requests() {
    return requests.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        Thread t = new Thread(() -> serve(s), "loopback-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream(), 32 * 1024);
      OutputStream out = s.getOutputStream();
      byte[] skip = new byte[16 * 1024];
      while (true) {
        long length = readHeaders(in);
        if (length < 0) {
          return; // the client closed the connection
        }
        while (length > 0) {
          int n = in.read(skip, 0, (int) Math.min(skip.length, length));
          if (n < 0) {
            return;
          }
          length -= n;
        }
        Fault fault = faults.apply(requests.getAndIncrement());
        switch (fault) {
          case NONE -> out.write(OK);
          case RATE_LIMITED -> out.write(RATE_LIMITED);
          case SERVER_ERROR -> out.write(SERVER_ERROR);
          case RESET -> {
            s.setSoLinger(true, 0); // close() now sends RST instead of FIN
            return;
          }
        }
        out.flush();
      }
    } catch (SocketException e) {
      // the client reset or the server closed: nothing to answer
    } catch (IOException e) {
      // same: the connection is gone
    } finally {
      open.remove(s);
    }
  }

  /** Reads one request's head; returns its Content-Length, or -1 at end of stream. */
  private static long readHeaders(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    long length = 0;
    boolean first = true;
    while (true) {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          return -1;
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() == 0) {
        if (first) {
          continue; // tolerate a stray blank line between requests
        }
        return length;
      }
      first = false;
      if (line.length() > 15 && line.substring(0, 15).toLowerCase(Locale.ROOT).equals("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
  }

  private static byte[] response(int status, String reason, String body, String extraHeaders) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + b.length + "\r\n"
        + "x-request-id: req_loopback\r\n"
        + extraHeaders
        + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
