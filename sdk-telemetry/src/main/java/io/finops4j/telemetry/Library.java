package io.finops4j.telemetry;

import java.security.CodeSource;

/**
 * An instrumentation library the telemetry module uses when the application has it: present or not, and which
 * version it is, for the message that says why a part of telemetry is off.
 */
enum Library {
  OPENTELEMETRY("OpenTelemetry API", "io.opentelemetry.api.OpenTelemetry", "1.49.0"),
  MICROMETER("Micrometer", "io.micrometer.core.instrument.MeterRegistry", "1.15.0"),
  OBSERVATION("Micrometer Observation", "io.micrometer.observation.Observation", "1.15.0");

  private final String title;
  private final String probe;
  private final String floor;
  private final boolean present;
  /** Set once the library failed to link: its side of telemetry stays off for the process. */
  private volatile boolean failed;

  Library(String title, String probe, String floor) {
    this.title = title;
    this.probe = probe;
    this.floor = floor;
    this.present = load(probe) != null;
  }

  /** Whether the library is on the class path (the dependencies are optional). */
  boolean present() {
    return present;
  }

  boolean failed() {
    return failed;
  }

  void failed(boolean failed) {
    this.failed = failed;
  }

  String title() {
    return title;
  }

  /** The lowest version finops4j is compiled against and supports. */
  String floor() {
    return floor;
  }

  /** The version found on the class path: the jar's {@code Implementation-Version}, else the jar's name. */
  String versionFound() {
    Class<?> c = load(probe);
    if (c == null) {
      return "absent";
    }
    Package p = c.getPackage();
    if (p != null && p.getImplementationVersion() != null) {
      return p.getImplementationVersion();
    }
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown";
    }
    String path = source.getLocation().getPath();
    return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, Library.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
