package io.finops4j.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The raw fields of a {@link Usage}: immutable, names and counts in two arrays, in the order they were added.
 *
 * <p>Why not {@code Map.copyOf}: every call reads one usage of about ten fields, and a hash map to collect them
 * followed by an immutable hashed copy cost more than reading the counts (and the copy's iteration order changes
 * from one JVM to the next). A lookup here is a linear search, which for ten names is as fast as hashing one.
 */
final class RawCounts extends AbstractMap<String, Long> {

  private final String[] names;
  private final long[] counts;

  private RawCounts(String[] names, long[] counts) {
    this.names = names;
    this.counts = counts;
  }

  /** {@code raw} as raw counts: itself when it already is; an empty map for null or empty. */
  static Map<String, Long> copyOf(Map<String, Long> raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    if (raw instanceof RawCounts) {
      return raw;
    }
    // a snapshot of the entries, as Map.copyOf takes one: a map changed meanwhile gives one state of it
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map.Entry<String, Long>[] entries = raw.entrySet().toArray(new Map.Entry[0]);
    String[] names = new String[entries.length];
    long[] counts = new long[entries.length];
    for (int i = 0; i < entries.length; i++) {
      // null names and counts are rejected, as Map.copyOf rejected them
      names[i] = Objects.requireNonNull(entries[i].getKey(), "raw usage name");
      counts[i] = Objects.requireNonNull(entries[i].getValue(), "raw usage count");
    }
    return entries.length == 0 ? Map.of() : new RawCounts(names, counts);
  }

  /** The first {@code size} (at least 1) of {@code names} and {@code counts}, names distinct and not null. */
  static Map<String, Long> of(String[] names, long[] counts, int size) {
    return new RawCounts(Arrays.copyOf(names, size), Arrays.copyOf(counts, size));
  }

  private int indexOf(Object name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public Long get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : counts[i];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Long> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], counts[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, Long>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Map.Entry<String, Long>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Map.Entry<String, Long> next() {
            if (next == names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(names[i], counts[i]);
          }
        };
      }
    };
  }
}
