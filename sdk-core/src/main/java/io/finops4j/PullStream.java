package io.finops4j;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionStream;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.StreamCancelledException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A {@link CompletionStream} fed by a callback stream running on another thread, through a bounded queue: when
 * the reader falls behind, the producer waits (backpressure), it never buffers a whole answer.
 *
 * <p>{@link #close()} marks the stream cancelled and empties the queue, so a producer blocked on a full queue
 * wakes; its next delta then throws {@link StreamCancelledException} from the listener, which makes the provider
 * client cut the connection and the engine charge the text generated so far as an estimate.
 */
final class PullStream implements CompletionStream {

  static final int DEFAULT_CAPACITY = 256;

  /** Marks the end of the deltas in the queue. */
  private static final String END = new String("end of stream");

  private final BlockingQueue<String> queue;
  private final CompletableFuture<Completion> result = new CompletableFuture<>();
  private volatile boolean cancelled;
  private boolean iterated;

  PullStream(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Runs the callback stream on the current (executor) thread, feeding the queue; never throws. */
  void run(Function<Llm.TextListener, Completion> call) {
    try {
      result.complete(call.apply(this::offer));
    } catch (Throwable t) {
      result.completeExceptionally(t);
    } finally {
      put(END);
    }
  }

  private void offer(String delta) {
    if (cancelled) {
      throw new StreamCancelledException();
    }
    put(delta);
    if (cancelled) {
      throw new StreamCancelledException();
    }
  }

  private void put(String item) {
    try {
      while (!cancelled || item == END) {
        if (queue.offer(item)) {
          return;
        }
        if (cancelled) {
          queue.clear(); // nobody reads any more: make room for END
          continue;
        }
        queue.put(item);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamCancelledException();
    }
  }

  @Override
  public Iterator<String> iterator() {
    if (iterated) {
      throw new IllegalStateException("a CompletionStream can be iterated once");
    }
    iterated = true;
    return new Iterator<>() {
      private String next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = take();
        }
        if (next == END) {
          rethrowFailure();
          return false;
        }
        return true;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String d = next;
        next = null;
        return d;
      }
    };
  }

  private String take() {
    if (cancelled) {
      return END;
    }
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new Finops4jException("interrupted while waiting for the stream", e);
    }
  }

  private void rethrowFailure() {
    if (result.isCompletedExceptionally() && !cancelled) {
      completion(); // throws the call's failure
    }
  }

  @Override
  public Completion completion() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Finops4jException("interrupted while waiting for the stream", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new Finops4jException("stream failed", cause);
    }
  }

  @Override
  public void close() {
    if (!cancelled && !result.isDone()) {
      cancelled = true;
      queue.clear(); // wakes a producer blocked on a full queue
    }
  }
}
