package io.finops4j.api;

import java.util.concurrent.CancellationException;

/**
 * Thrown by a {@link Llm.TextListener} to stop a stream: the provider client cuts the connection at once (no
 * more tokens are generated for us, so no more are billed) and rethrows it. The engine charges what was
 * generated up to that point as an estimate.
 */
public class StreamCancelledException extends CancellationException {

  private static final long serialVersionUID = 1L;

  public StreamCancelledException() {
    super("stream cancelled by the caller");
  }
}
