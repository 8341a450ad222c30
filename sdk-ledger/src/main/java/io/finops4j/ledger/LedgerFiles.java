package io.finops4j.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of the rotated files of one JSONL ledger: {@code base-DATE.ext}, {@code base-DATE.N.ext}. */
final class LedgerFiles {

  private final Path base;
  private final Path dir;
  private final String stem;
  private final String ext;
  private final Pattern pattern;

  LedgerFiles(Path base) {
    this.base = base;
    Path parent = base.toAbsolutePath().getParent();
    this.dir = parent == null ? Path.of(".") : parent;
    String name = base.getFileName().toString();
    int dot = name.lastIndexOf('.');
    this.stem = dot > 0 ? name.substring(0, dot) : name;
    this.ext = dot > 0 ? name.substring(dot) : ".jsonl";
    this.pattern = Pattern.compile(Pattern.quote(stem) + "-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?" + Pattern.quote(ext));
  }

  Path base() {
    return base;
  }

  Path file(LocalDate day, int index) {
    return dir.resolve(stem + "-" + day + (index == 0 ? "" : "." + index) + ext);
  }

  /** The highest index of {@code day}'s files, or 0 when there is none yet. */
  int lastIndex(LocalDate day) throws IOException {
    int max = 0;
    for (Entry e : list()) {
      if (e.day.equals(day)) {
        max = Math.max(max, e.index);
      }
    }
    return max;
  }

  /** Every file of this ledger, oldest first (by day, then index). */
  List<Path> all() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Entry e : list()) {
      out.add(e.path);
    }
    return out;
  }

  private List<Entry> list() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.add(new Entry(p, LocalDate.parse(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
        }
      }
    }
    out.sort(Comparator.comparing(Entry::day).thenComparingInt(Entry::index));
    return out;
  }

  private record Entry(Path path, LocalDate day, int index) {}
}
