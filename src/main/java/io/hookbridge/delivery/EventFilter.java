package io.hookbridge.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A subscription's {@code types} globs over canonical types and its {@code sources} list; "*" matches anything. */
public final class EventFilter {

    private final List<Pattern> types;
    private final List<Pattern> sources;

    public EventFilter(String types, String sources) {
        this.types = globs(types);
        this.sources = globs(sources);
    }

    public boolean matches(String type, String source) {
        return any(types, type) && any(sources, source);
    }

    private static boolean any(List<Pattern> patterns, String value) {
        if (value == null) return false;
        for (Pattern p : patterns) if (p.matcher(value).matches()) return true;
        return false;
    }

    static List<Pattern> globs(String list) {
        List<Pattern> patterns = new ArrayList<>();
        String text = list == null || list.isBlank() ? "*" : list;
        for (String glob : text.split(",")) {
            String g = glob.strip();
            if (g.isEmpty()) continue;
            StringBuilder regex = new StringBuilder();
            for (char c : g.toCharArray()) {
                if (c == '*') regex.append(".*");
                else if (c == '?') regex.append('.');
                else regex.append(Pattern.quote(String.valueOf(c)));
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }
}
