package io.finops4j.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether telemetry works in this JVM. An instrumentation library at a version finops4j cannot link against (a
 * {@link LinkageError} such as {@code NoSuchMethodError}) turns that library's part of telemetry off, for the
 * process, logged once at WARN with the versions found; calls go on. The Spring Boot health indicator shows
 * {@link #problems()} as {@code telemetry} details.
 */
public final class TelemetryStatus {

  private static final Logger LOG = LoggerFactory.getLogger("io.finops4j.telemetry");
  private static final Map<String, String> PROBLEMS = new ConcurrentHashMap<>();

  private TelemetryStatus() {}

  /** Library title to the reason its part of telemetry is off; empty when all is well. */
  public static Map<String, String> problems() {
    return new TreeMap<>(PROBLEMS);
  }

  /** Records that {@code library} failed to link; logs the first failure per library. */
  static void linkageFailed(Library library, LinkageError e) {
    library.failed(true);
    String reason = library.title() + " " + library.versionFound() + " failed to link ("
        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); finops4j supports " + library.title() + " "
        + library.floor() + " and later. Its part of finops4j telemetry is off; calls go on.";
    if (PROBLEMS.putIfAbsent(library.title(), reason) == null) {
      LOG.warn("finops4j telemetry: {}", reason);
    }
  }

  /** Forgets every recorded problem (tests). */
  static void reset() {
    PROBLEMS.clear();
    for (Library library : Library.values()) {
      library.failed(false);
    }
  }
}
