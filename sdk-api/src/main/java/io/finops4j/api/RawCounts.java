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

  /**
   * The names of the counts made last. Answers of one provider list the same names (its reader's constants, the
   * same String instances) in the same order, so their counts share one array of names: a cached answer keeps only
   * its counts, 56 bytes less for ten names. Read and replaced racily; any array seen here is complete.
   */
  private static volatile String[] lastNames = new String[0];

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
    return entries.length == 0 ? Map.of() : new RawCounts(shared(names, names.length), counts);
  }

  /** The first {@code size} (at least 1) of {@code names} and {@code counts}, names distinct and not null. */
  static Map<String, Long> of(String[] names, long[] counts, int size) {
    return new RawCounts(shared(names, size), Arrays.copyOf(counts, size));
  }

  /** The first {@code size} of {@code names}: the last counts' array when it holds the same instances, else a copy. */
  private static String[] shared(String[] names, int size) {
    String[] last = lastNames;
    int i = 0;
    if (last.length == size) {
      while (i < size && last[i] == names[i]) {
        i++;
      }
    }
    if (i == size) {
      return last;
    }
    String[] copy = Arrays.copyOf(names, size);
    lastNames = copy;
    return copy;
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
