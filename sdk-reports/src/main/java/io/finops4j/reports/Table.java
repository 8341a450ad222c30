package io.finops4j.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One titled table of a report: column names and rows of cells. Cells are {@code String}, {@code Long},
 * {@code BigDecimal} (money, exact), {@code Double} (ratios), {@code LocalDate} or {@code null}; renderers keep
 * numbers as numbers in JSON and exact in CSV.
 *
 * @param title a short heading, also the key of the table in JSON output
 * @param columns column names
 * @param rows rows, each as long as {@code columns}
 */
public record Table(String title, List<String> columns, List<List<Object>> rows) {

  public Table {
    Objects.requireNonNull(title, "title");
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("table '" + title + "': row has " + row.size() + " cells, expected "
            + columns.size());
      }
      // List.copyOf rejects nulls, and an absent value is a legitimate cell.
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = java.util.Collections.unmodifiableList(copy);
  }

  /** Starts a table with these columns. */
  public static Builder builder(String title, String... columns) {
    return new Builder(title, List.of(columns));
  }

  /** Collects rows of a {@link Table}. */
  public static final class Builder {
    private final String title;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private Builder(String title, List<String> columns) {
      this.title = title;
      this.columns = columns;
    }

    public Builder row(Object... cells) {
      rows.add(java.util.Arrays.asList(cells));
      return this;
    }

    public Table build() {
      return new Table(title, columns, rows);
    }
  }
}
