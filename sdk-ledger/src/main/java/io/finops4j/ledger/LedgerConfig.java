package io.finops4j.ledger;

import io.finops4j.api.spi.ConfigNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code finops4j.ledger} section into a {@link LedgerWriter}. */
final class LedgerConfig {

  private static final List<String> KEYS = List.of("type", "path", "url", "username", "password", "table",
      "batch-size", "flush-interval", "queue-capacity", "queue-full-wait", "spill-path", "rotate-size",
      "close-timeout");
  private static final List<String> JSONL_ONLY = List.of("path", "rotate-size");
  private static final List<String> JDBC_ONLY = List.of("url", "username", "password", "table");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");

  /** The embedded default for {@code type: jdbc} without a url: an H2 file in the working directory. */
  static final String DEFAULT_JDBC_URL = "jdbc:h2:./finops4j-ledger";

  private LedgerConfig() {}

  static LedgerWriter writer(ConfigNode node, javax.sql.DataSource dataSource) {
    if (node == null || !node.isPresent()) {
      return null;
    }
    node.asMap(); // fails unless the section is a map
    node.allowKeys(KEYS.toArray(new String[0]));
    String type = node.get("type").asOneOf(List.of("jsonl", "jdbc", "none"));
    if (type.equals("none")) {
      return null;
    }
    notFor(node, type, type.equals("jsonl") ? JDBC_ONLY : JSONL_ONLY);

    int batchSize = intIn(node.get("batch-size"), LedgerWriter.DEFAULT_BATCH_SIZE, 1, 100_000);
    int capacity = intIn(node.get("queue-capacity"), LedgerWriter.Builder.defaultQueueCapacity(batchSize), 1,
        10_000_000);
    if (capacity < batchSize) {
      throw node.get("queue-capacity").error("must be at least batch-size (" + batchSize + "), got " + capacity);
    }
    Duration flush = positive(node.get("flush-interval"), LedgerWriter.DEFAULT_FLUSH_INTERVAL);
    Duration closeTimeout = positive(node.get("close-timeout"), LedgerWriter.DEFAULT_CLOSE_TIMEOUT);
    Duration queueFullWait = node.get("queue-full-wait").asDuration(LedgerWriter.DEFAULT_QUEUE_FULL_WAIT,
        Duration.ZERO, Duration.ofMinutes(1));

    LedgerSink sink;
    Path defaultSpill;
    if (type.equals("jsonl")) {
      ConfigNode pathNode = node.get("path");
      Path path = path(pathNode.requirePresent());
      long rotate = size(node.get("rotate-size"), JsonlLedgerSink.DEFAULT_ROTATE_SIZE);
      sink = JsonlLedgerSink.builder().path(path).rotateSize(rotate).build();
      String name = path.getFileName().toString();
      int dot = name.lastIndexOf('.');
      defaultSpill = path.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-spill.jsonl");
    } else {
      JdbcLedgerSink.Builder b = JdbcLedgerSink.builder();
      if (dataSource != null && !node.has("url")) {
        b.dataSource(dataSource); // the application's own pool, when it has one and no url was given
      } else {
        b.url(node.get("url").asString(DEFAULT_JDBC_URL));
        b.username(node.get("username").asString(null));
        b.password(node.get("password").asString(null));
      }
      ConfigNode table = node.get("table");
      try {
        b.table(table.asString(JdbcLedgerSink.DEFAULT_TABLE));
      } catch (IllegalArgumentException e) {
        throw table.error(e.getMessage());
      }
      sink = b.build();
      defaultSpill = LedgerWriter.DEFAULT_SPILL_PATH;
    }
    ConfigNode spillNode = node.get("spill-path");
    Path spill = spillNode.isPresent() ? path(spillNode) : defaultSpill;
    return LedgerWriter.builder().sink(sink).batchSize(batchSize).queueCapacity(capacity).flushInterval(flush)
        .queueFullWait(queueFullWait).closeTimeout(closeTimeout).spillPath(spill).build();
  }

  private static void notFor(ConfigNode node, String type, List<String> keys) {
    for (String k : keys) {
      if (node.has(k)) {
        throw node.get(k).error("does not apply to type: " + type);
      }
    }
  }

  private static int intIn(ConfigNode n, int def, int min, int max) {
    long v = n.asLong(def);
    if (v < min || v > max) {
      throw n.error("expected a whole number from " + min + " to " + max + ", got " + v);
    }
    return (int) v;
  }

  private static Duration positive(ConfigNode n, Duration def) {
    Duration d = n.asDuration(def, Duration.ZERO, Duration.ofDays(1));
    if (d.isZero() || d.isNegative()) {
      throw n.error("expected a positive duration, got '" + n.raw() + "'");
    }
    return d;
  }

  private static Path path(ConfigNode n) {
    String s = n.asString().trim();
    if (s.isEmpty()) {
      throw n.error("expected a file path, got an empty value");
    }
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw n.error("expected a file path, got '" + s + "': " + e.getReason());
    }
  }

  /** A byte size: {@code 65536}, {@code 512KB}, {@code 64MB}, {@code 1GB} (binary units). */
  static long size(ConfigNode n, long def) {
    if (!n.isPresent()) {
      return def;
    }
    String s = n.asString().trim().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw n.error("expected a size such as 512KB, 64MB or 1GB, got '" + n.raw() + "'");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long mult = unit.startsWith("k") ? 1024L : unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("g") ? 1024L * 1024 * 1024 : 1;
    long bytes = v * mult;
    if (bytes < 1024) {
      throw n.error("expected at least 1KB, got '" + n.raw() + "'");
    }
    return bytes;
  }
}
