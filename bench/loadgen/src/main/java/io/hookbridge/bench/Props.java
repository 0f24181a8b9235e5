package io.hookbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of one run: flat {@code key=value} lines, appended by every step, read back by the report. */
final class Props {

    final Map<String, String> values = new LinkedHashMap<>();

    void put(String key, String value) {
        values.put(key, value == null ? "" : value.replace('\n', ' ').replace('\r', ' '));
    }

    void put(String key, long value) {
        values.put(key, Long.toString(value));
    }

    void put(String key, double value) {
        values.put(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "");
    }

    String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    Double number(String key) {
        String v = get(key);
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void appendTo(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static Props read(Path file) throws IOException {
        Props p = new Props();
        if (!Files.exists(file)) return p;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            p.values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return p;
    }
}
