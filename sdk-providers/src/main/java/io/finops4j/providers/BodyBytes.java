package io.finops4j.providers;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request body as a JSON generator writes it, kept as the chunks the generator flushes. Why not a
 * {@code ByteArrayOutputStream}: the generator already buffers (up to 8,000 bytes, a buffer Jackson recycles), so a
 * body of ordinary size arrives in one write at close; kept as is, it costs one array of its exact size instead of a
 * growable one and a copy of it.
 */
final class BodyBytes extends OutputStream {

  private byte[] first;
  private List<byte[]> rest;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    byte[] chunk = Arrays.copyOfRange(b, off, off + len);
    if (first == null) {
      first = chunk;
    } else {
      if (rest == null) {
        rest = new ArrayList<>();
      }
      rest.add(chunk);
    }
  }

  /** Everything written, in order. */
  byte[] toByteArray() {
    if (first == null) {
      return new byte[0];
    }
    if (rest == null) {
      return first;
    }
    int size = first.length;
    for (byte[] chunk : rest) {
      size += chunk.length;
    }
    byte[] all = Arrays.copyOf(first, size);
    int at = first.length;
    for (byte[] chunk : rest) {
      System.arraycopy(chunk, 0, all, at, chunk.length);
      at += chunk.length;
    }
    return all;
  }
}
