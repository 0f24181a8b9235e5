package io.hookbridge.vendor.outbound;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.event.Timestamps;
import io.hookbridge.vendor.DefinitionException;
import io.hookbridge.vendor.TypeTable;

/**
 * A vendor body written as a YAML template over the canonical event. Objects, arrays and literals are copied;
 * a string {@code ${ expression }} is replaced by its value, which keeps its JSON type. A key ending in
 * {@code ?} is left out when its value is null (an object whose values are all left out or null counts as null).
 *
 * <p>An expression is one or more values separated by {@code ??} (the first that is not null wins), then any
 * number of {@code | filter}s applied to the result. Values:
 * <ul>
 *   <li>{@code event.id}, {@code event.type}, {@code event.source}, {@code event.subject}, {@code event.time},
 *       {@code event.vendorEvent} (the name the event had at its source);</li>
 *   <li>{@code data.<dotted.path>}: a canonical data field as text (numbers in plain notation; null when absent,
 *       empty or not a scalar);</li>
 *   <li>{@code name} and {@code qualifier}: this vendor's event name for the canonical type (the type table read
 *       backwards) and its qualifier;</li>
 *   <li>{@code origin}: {@code {id, source, event, type, payload}}, where the event came from;</li>
 *   <li>{@code 'text'}: a literal string.</li>
 * </ul>
 * Filters: {@code iso-millis} (a time as ISO 8601 UTC with at least milliseconds; text passes unchanged),
 * {@code epoch-millis}, {@code epoch-seconds}, {@code number} (a decimal integer of at most 15 digits becomes a
 * JSON number), {@code lookup(table)} (a value through one of the outbound {@code tables}; null when not
 * listed) and {@code in('a', 'b')} (true or false; null stays null).
 */
public final class BodyTemplate {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(.*)}", Pattern.DOTALL);
    private static final Pattern FILTER = Pattern.compile("([a-z-]+)(?:\\((.*)\\))?", Pattern.DOTALL);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = EventJson.mapper().getNodeFactory();
    private static final Pattern NUMERIC_ID = Pattern.compile("0|[1-9][0-9]{0,14}");

    /** What an expression reads: the event, this vendor's name for it. */
    public record Context(CanonicalEvent event, TypeTable.VendorEvent name) { }

    private final Node root;

    private BodyTemplate(Node root) {
        this.root = root;
    }

    /**
     * @param tables the outbound lookup tables
     * @throws DefinitionException at the JSON pointer (below the template) of the part that is wrong
     */
    public static BodyTemplate compile(JsonNode template, Map<String, Map<String, String>> tables) {
        if (template == null || !template.isObject()) throw new DefinitionException("", "body must be an object");
        return new BodyTemplate(compile(template, "", tables));
    }

    public ObjectNode render(Context context) {
        return (ObjectNode) root.render(context);
    }

    // -------------------------------------------------------------------------------------------- compiling

    private interface Node {
        /** @return the value, or null for "nothing" */
        JsonNode render(Context context);
    }

    private record Field(String name, boolean optional, Node value) { }

    private static Node compile(JsonNode template, String path, Map<String, Map<String, String>> tables) {
        if (template.isObject()) {
            List<Field> fields = new ArrayList<>();
            template.fields().forEachRemaining(entry -> {
                String key = entry.getKey();
                boolean optional = key.endsWith("?");
                String name = optional ? key.substring(0, key.length() - 1) : key;
                fields.add(new Field(name, optional, compile(entry.getValue(), path + "/" + key.replace("~", "~0").replace("/", "~1"), tables)));
            });
            return context -> {
                ObjectNode object = NODES.objectNode();
                for (Field field : fields) {
                    JsonNode value = field.value.render(context);
                    if (field.optional && nothing(value)) continue;
                    object.set(field.name, value == null ? NODES.nullNode() : value);
                }
                return object;
            };
        }
        if (template.isArray()) {
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < template.size(); i++) items.add(compile(template.get(i), path + "/" + i, tables));
            return context -> {
                ArrayNode array = NODES.arrayNode();
                for (Node item : items) {
                    JsonNode value = item.render(context);
                    array.add(value == null ? NODES.nullNode() : value);
                }
                return array;
            };
        }
        if (template.isTextual()) {
            Matcher m = EXPRESSION.matcher(template.asText().strip());
            if (m.matches()) {
                try {
                    return expression(m.group(1), tables);
                } catch (IllegalArgumentException e) {
                    throw new DefinitionException(path, "'" + template.asText() + "': " + e.getMessage());
                }
            }
        }
        JsonNode literal = template.deepCopy();
        return context -> literal.deepCopy();
    }

    private interface Value {
        /** @return String, Instant, JsonNode (number, boolean, object) or null */
        Object get(Context context);
    }

    private interface Filter {
        Object apply(Object value);
    }

    private static Node expression(String text, Map<String, Map<String, String>> tables) {
        String[] piped = splitOutsideQuotes(text, '|');
        List<Value> alternatives = new ArrayList<>();
        for (String alternative : piped[0].split("\\?\\?")) alternatives.add(value(alternative.strip()));
        List<Filter> filters = new ArrayList<>();
        for (int i = 1; i < piped.length; i++) filters.add(filter(piped[i].strip(), tables));
        return context -> {
            Object value = null;
            for (Value alternative : alternatives) {
                value = alternative.get(context);
                if (value != null) break;
            }
            for (Filter filter : filters) value = filter.apply(value);
            return json(value);
        };
    }

    private static Value value(String ref) {
        if (ref.isEmpty()) throw new IllegalArgumentException("an empty value");
        if (ref.length() >= 2 && ref.startsWith("'") && ref.endsWith("'")) {
            String literal = ref.substring(1, ref.length() - 1);
            return context -> literal;
        }
        switch (ref) {
            case "event.id": return c -> c.event().id();
            case "event.type": return c -> c.event().type();
            case "event.source": return c -> c.event().sourceId();
            case "event.subject": return c -> c.event().subject();
            case "event.time": return c -> c.event().time();
            case "event.vendorEvent": return c -> c.event().vendorEvent();
            case "name": return c -> c.name().event();
            case "qualifier": return c -> c.name().qualifier();
            case "origin": return BodyTemplate::origin;
            default: break;
        }
        if (ref.startsWith("data.") && ref.length() > 5) {
            String[] parts = ref.substring(5).split("\\.");
            for (String part : parts) if (part.isEmpty()) throw new IllegalArgumentException("'" + ref + "' has an empty step");
            return context -> {
                JsonNode node = context.event().data();
                for (String part : parts) node = node.path(part);
                return text(node);
            };
        }
        throw new IllegalArgumentException("unknown value '" + ref + "' (known: event.id, event.type, event.source, event.subject,"
                + " event.time, event.vendorEvent, data.<path>, name, qualifier, origin, 'text')");
    }

    private static Filter filter(String text, Map<String, Map<String, String>> tables) {
        Matcher m = FILTER.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a filter");
        String name = m.group(1);
        List<String> args = m.group(2) == null ? List.of() : arguments(m.group(2));
        switch (name) {
            case "iso-millis":
                return v -> v instanceof Instant t ? (t.getNano() % 1_000_000 == 0 ? MILLIS.format(t) : Timestamps.format(t)) : v;
            case "epoch-millis":
                return v -> v instanceof Instant t ? NODES.numberNode(t.toEpochMilli()) : v;
            case "epoch-seconds":
                return v -> v instanceof Instant t ? NODES.numberNode(t.getEpochSecond()) : v;
            case "number":
                return v -> v instanceof String s && NUMERIC_ID.matcher(s).matches() ? NODES.numberNode(Long.parseLong(s)) : v;
            case "lookup": {
                if (args.size() != 1) throw new IllegalArgumentException("lookup takes one table name: lookup(name)");
                Map<String, String> table = tables.get(args.get(0));
                if (table == null) {
                    throw new IllegalArgumentException("no table '" + args.get(0) + "' under outbound.tables (known: " + String.join(", ", tables.keySet()) + ")");
                }
                return v -> v == null ? null : table.get(v instanceof String s ? s : json(v).asText());
            }
            case "in": {
                if (args.isEmpty()) throw new IllegalArgumentException("in needs at least one value: in('a', 'b')");
                return v -> v == null ? null : NODES.booleanNode(args.contains(v instanceof String s ? s : json(v).asText()));
            }
            default:
                throw new IllegalArgumentException("unknown filter '" + name + "' (known: iso-millis, epoch-millis, epoch-seconds, number, lookup(table), in('a', ...))");
        }
    }

    private static List<String> arguments(String text) {
        List<String> args = new ArrayList<>();
        for (String arg : splitOutsideQuotes(text, ',')) {
            String a = arg.strip();
            if (a.length() >= 2 && a.startsWith("'") && a.endsWith("'")) a = a.substring(1, a.length() - 1);
            args.add(a);
        }
        return args;
    }

    private static String[] splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') quoted = !quoted;
            else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) throw new IllegalArgumentException("a quote is not closed");
        parts.add(text.substring(start));
        return parts.toArray(String[]::new);
    }

    // -------------------------------------------------------------------------------------------- values

    /** Null, JSON null, or an object whose every value is JSON null. */
    private static boolean nothing(JsonNode value) {
        if (value == null || value.isNull()) return true;
        if (!value.isObject() || value.isEmpty()) return false;
        for (JsonNode child : value) if (!child.isNull()) return false;
        return true;
    }

    /** A scalar as text (numbers in plain notation); null when missing, null, empty or not a scalar. */
    static String text(JsonNode value) {
        if (value == null) return null;
        if (value.isTextual()) return value.asText().isEmpty() ? null : value.asText();
        if (value.isIntegralNumber()) return value.bigIntegerValue().toString();
        if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue();
            return decimal.toPlainString();
        }
        return null;
    }

    private static JsonNode json(Object value) {
        if (value == null) return null;
        if (value instanceof JsonNode node) return node;
        if (value instanceof Instant time) return NODES.textNode(Timestamps.format(time));
        return NODES.textNode(value.toString());
    }

    private static ObjectNode origin(Context context) {
        CanonicalEvent event = context.event();
        ObjectNode origin = NODES.objectNode();
        origin.put("id", event.id());
        origin.put("source", event.sourceId());
        origin.put("event", event.vendorEvent());
        origin.put("type", event.type());
        JsonNode payload = event.vendorPayload();
        if (!payload.isMissingNode()) origin.set("payload", payload.deepCopy());
        return origin;
    }
}
