package io.hookbridge.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.serialization.JsonNodeReader;
import com.networknt.schema.utils.JsonNodes;

/**
 * Camel's own YAML DSL JSON schema ({@code schema/camelYamlDsl.json}, shipped in camel-yaml-dsl: the one Kaoto,
 * Camel JBang and editors validate with), applied to a route file with the line of every problem.
 * HookBridge's map form of {@code templatedRoute.parameters} (name: value) is checked as the list of
 * name/value pairs it stands for, so it stays accepted; everything else must be what the schema says.
 */
public final class CamelYamlSchema {

    static final String LOCATION = "schema/camelYamlDsl.json";

    private static final JsonNodeReader READER = JsonNodeReader.builder().locationAware().build();

    private CamelYamlSchema() { }

    /**
     * The compiled schema, kept while memory allows: compiled lazily, only the parts route files reach, since
     * compiling all of it (~800 KB of JSON, thousands of $refs) takes over 256 MB of heap.
     */
    private static volatile SoftReference<JsonSchema> compiled = new SoftReference<>(null);

    private static JsonSchema schema() {
        JsonSchema schema = compiled.get();
        if (schema == null) {
            schema = Holder.load();
            compiled = new SoftReference<>(schema);
        }
        return schema;
    }

    private static final class Holder {
        private static JsonSchema load() {
            // Camel marks some options "deprecated", a keyword draft 4 does not know: an annotation, not a rule
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4()).keyword(new NonValidationKeyword("deprecated")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                    .metaSchema(draft4).defaultMetaSchemaIri(draft4.getIri()).build();
            try (InputStream in = CamelYamlSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
                if (in == null) throw new IllegalStateException(LOCATION + " is not on the class path (camel-yaml-dsl)");
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                        .preloadJsonSchema(false).cacheRefs(true).pathType(PathType.JSON_PATH).build();
                return factory.getSchema(in, config);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + LOCATION + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * @return the problems the schema finds, at most one per line, in line order; none for a file that is not
     *         YAML at all (the YAML syntax check reports that)
     */
    public static List<RouteProblem> check(String file, String text) {
        JsonNode routes;
        try {
            routes = READER.readTree(text, InputFormat.YAML);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (routes == null || routes.isMissingNode() || routes.isNull()) return List.of();
        mapParametersAsList(routes);
        Set<ValidationMessage> messages = schema().validate(routes);
        Map<Integer, String> byLine = new LinkedHashMap<>();
        for (ValidationMessage message : messages) {
            int line = lineOf(message.getInstanceNode(), routes, message.getInstanceLocation().toString());
            byLine.merge(line, describe(message), (first, next) -> first);
        }
        List<RouteProblem> problems = new ArrayList<>();
        byLine.forEach((line, problem) -> problems.add(new RouteProblem(file, line, problem)));
        problems.sort(null);
        return problems;
    }

    private static String describe(ValidationMessage message) {
        String where = message.getInstanceLocation().toString();
        String what = switch (message.getType()) {
            case "additionalProperties" -> "unknown key '" + message.getArguments()[0] + "'";
            case "required" -> "missing key '" + message.getArguments()[0] + "'";
            default -> message.getMessage().startsWith(where + ": ") ? message.getMessage().substring(where.length() + 2) : message.getMessage();
        };
        return what + " at " + where + " (Camel YAML DSL schema)";
    }

    private static int lineOf(JsonNode node, JsonNode root, String instanceLocation) {
        var location = node == null ? null : JsonNodes.tokenLocationOf(node);
        if (location != null && location.getLineNr() > 0) return location.getLineNr();
        // a node HookBridge made (a map-form parameter list): the line of the nearest enclosing node read from the file
        String path = instanceLocation;
        while (path.contains(".") || path.contains("[")) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = path.substring(0, cut);
            JsonNode parent = at(root, path);
            var parentLocation = parent == null ? null : JsonNodes.tokenLocationOf(parent);
            if (parentLocation != null && parentLocation.getLineNr() > 0) return parentLocation.getLineNr();
        }
        return 1;
    }

    /** Resolves a JSONPath-like instance location ({@code $[0].templatedRoute.parameters[2]}). */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        String rest = path.startsWith("$") ? path.substring(1) : path;
        while (!rest.isEmpty() && node != null) {
            if (rest.startsWith("[")) {
                int end = rest.indexOf(']');
                String index = rest.substring(1, end);
                node = index.chars().allMatch(Character::isDigit) ? node.get(Integer.parseInt(index)) : node.get(index.replace("'", ""));
                rest = rest.substring(end + 1);
            } else if (rest.startsWith(".")) {
                int end = rest.length();
                for (int i = 1; i < rest.length(); i++) {
                    if (rest.charAt(i) == '.' || rest.charAt(i) == '[') { end = i; break; }
                }
                node = node.get(rest.substring(1, end));
                rest = rest.substring(end);
            } else {
                return null;
            }
        }
        return node;
    }

    private static void mapParametersAsList(JsonNode routes) {
        if (!routes.isArray()) return;
        for (JsonNode entry : routes) {
            JsonNode templated = entry.get("templatedRoute");
            if (!(templated instanceof ObjectNode object) || !(templated.get("parameters") instanceof ObjectNode map)) continue;
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> parameter = it.next();
                ObjectNode pair = JsonNodeFactory.instance.objectNode();
                pair.put("name", parameter.getKey());
                // the map form is HookBridge's: its scalars are taken as text, as Camel's list form needs them
                pair.set("value", parameter.getValue().isValueNode() ? JsonNodeFactory.instance.textNode(parameter.getValue().asText()) : parameter.getValue());
                list.add(pair);
            }
            object.set("parameters", list);
        }
    }
}
