package io.finops4j.reports;

import io.finops4j.api.ModelId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a provider's usage / cost export (CSV with a header row) into {@link Row}s.
 *
 * <p>Columns are found by header name, case-insensitively, with spaces, dashes and dots read as underscores.
 * Accepted names (first match wins; {@link #column} overrides):
 * <ul>
 *   <li>{@code date}: date, day, usage_date, start_date, start_time, bucket_start_time, timestamp</li>
 *   <li>{@code model}: model, model_id, model_name, snapshot_id</li>
 *   <li>{@code cost} (USD): cost, cost_usd, amount, amount_value, total_cost, usd</li>
 *   <li>{@code input} (optional): input_tokens, n_context_tokens_total, prompt_tokens, context_tokens</li>
 *   <li>{@code output} (optional): output_tokens, n_generated_tokens_total, completion_tokens, generated_tokens</li>
 * </ul>
 * Dates may be {@code 2026-11-24}, an ISO instant or offset date-time, {@code 2026-11-24 10:00:00}, or Unix
 * seconds (OpenAI's costs API); they are read as UTC days. A model without {@code provider/} is qualified with
 * the default provider. Amounts may carry a leading {@code $} and thousands separators.
 */
public final class UsageExport {

  private static final Pattern EPOCH = Pattern.compile("\\d{9,11}");

  private final String defaultProvider;
  private final Map<String, List<String>> aliases;

  private UsageExport(String defaultProvider, Map<String, List<String>> aliases) {
    this.defaultProvider = defaultProvider;
    this.aliases = aliases;
  }

  /** One row of the export. */
  public record Row(LocalDate day, ModelId model, long inputTokens, long outputTokens, BigDecimal costUsd) {}

  /** An export reader qualifying bare model names with {@code defaultProvider} (e.g. {@code openai}). */
  public static UsageExport forProvider(String defaultProvider) {
    Map<String, List<String>> a = new LinkedHashMap<>();
    a.put("date", List.of("date", "day", "usage_date", "start_date", "start_time", "bucket_start_time", "timestamp"));
    a.put("model", List.of("model", "model_id", "model_name", "snapshot_id"));
    a.put("cost", List.of("cost", "cost_usd", "amount", "amount_value", "total_cost", "usd"));
    a.put("input", List.of("input_tokens", "n_context_tokens_total", "prompt_tokens", "context_tokens"));
    a.put("output", List.of("output_tokens", "n_generated_tokens_total", "completion_tokens", "generated_tokens"));
    return new UsageExport(defaultProvider, a);
  }

  /** The same reader with {@code field} (date, model, cost, input, output) read from the column {@code header}. */
  public UsageExport column(String field, String header) {
    if (!aliases.containsKey(field)) {
      throw new IllegalArgumentException("unknown export field '" + field + "'; expected one of " + aliases.keySet());
    }
    Map<String, List<String>> a = new LinkedHashMap<>(aliases);
    a.put(field, List.of(normalize(header)));
    return new UsageExport(defaultProvider, a);
  }

  /** Reads every row; {@code source} names the file in error messages. */
  public List<Row> read(Reader reader, String source) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    List<String> header = Csv.next(in);
    if (header == null) {
      throw new LedgerFormatException(source + ": empty file, expected a CSV header row");
    }
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
      header.set(0, header.get(0).substring(1));
    }
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      at.putIfAbsent(normalize(header.get(i)), i);
    }
    Map<String, Integer> col = new HashMap<>();
    aliases.forEach((field, names) -> names.stream().filter(at::containsKey).findFirst()
        .ifPresent(n -> col.put(field, at.get(n))));
    for (String required : List.of("date", "model", "cost")) {
      if (!col.containsKey(required)) {
        throw new LedgerFormatException(source + ": no " + required + " column; looked for " + aliases.get(required)
            + " in header " + header + " (map one with --column " + required + "=HEADER)");
      }
    }
    List<Row> rows = new ArrayList<>();
    int lineNo = 1;
    List<String> cells;
    while ((cells = Csv.next(in)) != null) {
      lineNo++;
      if (cells.size() == 1 && cells.get(0).isBlank()) {
        continue;
      }
      try {
        rows.add(new Row(day(cell(cells, col.get("date"))), model(cell(cells, col.get("model"))),
            tokens(cells, col.get("input")), tokens(cells, col.get("output")), money(cell(cells, col.get("cost")))));
      } catch (RuntimeException e) {
        throw new LedgerFormatException(source + " line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  private static String normalize(String header) {
    return header.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s.\\-]+", "_");
  }

  private static String cell(List<String> cells, int i) {
    if (i >= cells.size()) {
      throw new IllegalArgumentException("row has " + cells.size() + " cells, column " + (i + 1) + " is missing");
    }
    return cells.get(i).trim();
  }

  private static long tokens(List<String> cells, Integer i) {
    if (i == null) {
      return 0;
    }
    String s = cell(cells, i).replace(",", "");
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return new BigDecimal(s).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("token count '" + s + "' is not a whole number");
    }
  }

  private static BigDecimal money(String s) {
    String v = s.replace("$", "").replace(",", "").trim();
    if (v.isEmpty()) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cost '" + s + "' is not a decimal number");
    }
  }

  static LocalDate day(String s) {
    try {
      if (EPOCH.matcher(s).matches()) {
        return Period.day(Instant.ofEpochSecond(Long.parseLong(s)));
      }
      if (s.length() == 10) {
        return LocalDate.parse(s);
      }
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return Period.day(OffsetDateTime.parse(s.replace(' ', 'T')).toInstant());
      }
      return LocalDate.parse(s.substring(0, 10));
    } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("date '" + s + "' is not a date (2026-11-24), a date-time or Unix seconds");
    }
  }

  private ModelId model(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty model");
    }
    return s.indexOf('/') > 0 ? ModelId.parse(s) : new ModelId(defaultProvider, s);
  }

  /** A minimal RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks. */
  static final class Csv {
    private Csv() {}

    static List<String> next(BufferedReader in) throws IOException {
      String line = in.readLine();
      if (line == null) {
        return null;
      }
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      while (true) {
        for (int i = 0; i < line.length(); i++) {
          char ch = line.charAt(i);
          if (quoted) {
            if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
              cell.append('"');
              i++;
            } else if (ch == '"') {
              quoted = false;
            } else {
              cell.append(ch);
            }
          } else if (ch == '"') {
            quoted = true;
          } else if (ch == ',') {
            cells.add(cell.toString());
            cell.setLength(0);
          } else {
            cell.append(ch);
          }
        }
        if (!quoted) {
          break;
        }
        line = in.readLine();
        if (line == null) {
          throw new IllegalArgumentException("unterminated quoted cell at end of file");
        }
        cell.append('\n');
      }
      cells.add(cell.toString());
      return cells;
    }
  }
}
