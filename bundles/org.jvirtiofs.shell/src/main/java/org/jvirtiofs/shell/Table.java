package org.jvirtiofs.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Text in aligned columns, the one way the commands print lists; and the human-readable forms
 * of the numbers they print (durations, byte counts, rates).
 */
final class Table {
    private static final String GAP = "  ";
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** A table with a header row; with no headers, the first {@link #row} sets the width. */
    Table(String... headers) {
        columns = headers.length;
        if (headers.length > 0) {
            rows.add(headers);
        }
    }

    /** Adds a row; {@code null} cells print empty, missing cells too. */
    Table row(Object... cells) {
        String[] text = new String[Math.max(columns, cells.length)];
        Arrays.fill(text, "");
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null ? "" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    /** Whether only the header (or nothing) is there. */
    boolean isEmpty() {
        return rows.size() <= (columns > 0 ? 1 : 0);
    }

    /** The rows, each column padded to its widest cell, two spaces apart, no trailing blanks. */
    String render() {
        int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[width];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - r[i].length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /** "yes" or "no". */
    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** A duration: "0", "850 ns", "12.3 µs", "4.50 ms", "1.20 s", three significant digits. */
    static String duration(long nanos) {
        if (nanos <= 0) {
            return "0";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return significant(nanos / 1e3) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return significant(nanos / 1e6) + " ms";
        }
        return significant(nanos / 1e9) + " s";
    }

    /** A byte count in binary units: "0 B", "512 B", "1.50 KiB", "3.00 GiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return significant(v) + " " + BYTE_UNITS[unit];
    }

    /** A count per second: "0/s", "12.0/s", "1.53k/s", "2.10M/s". */
    static String rate(double perSecond) {
        if (perSecond < 0.005) {
            return "0/s";
        }
        if (perSecond < 1_000) {
            return significant(perSecond) + "/s";
        }
        if (perSecond < 1_000_000) {
            return significant(perSecond / 1e3) + "k/s";
        }
        return significant(perSecond / 1e6) + "M/s";
    }

    /** Three significant digits (whole numbers from 100 up). */
    private static String significant(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
