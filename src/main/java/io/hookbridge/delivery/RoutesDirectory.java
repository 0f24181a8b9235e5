package io.hookbridge.delivery;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Loads the {@code webhook-subscription} template and every {@code *.yaml} in the routes dir, checking
 * subscriptions first: a syntax error, an unknown or missing parameter, a bad URL, an unknown format, a bad
 * number or a duplicate name stops start-up naming file and line. Subscription parameters may be written as a
 * map (as the CONTRACT shows) or as Camel's own list of name/value pairs.
 */
@Component
public class RoutesDirectory implements CamelContextConfiguration {

    public static final String TEMPLATE_ID = "webhook-subscription";
    static final String TEMPLATE = "classpath:io/hookbridge/delivery/webhook-subscription.yaml";
    static final Set<String> PARAMETERS = Set.of("name", "url", "types", "sources", "format", "secret", "maxAttempts",
            "initialDelay", "backoffMultiplier", "maxDelay", "timeout");

    private final Path routesDir;
    private final List<String> subscriptionNames = new ArrayList<>();

    public RoutesDirectory(HookBridgeProperties properties) {
        this.routesDir = Path.of(properties.getRoutesDir());
    }

    public Path directory() {
        return routesDir.toAbsolutePath();
    }

    /** Names of the subscriptions loaded, sorted. */
    public List<String> subscriptionNames() {
        return List.copyOf(subscriptionNames);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        RoutesLoader loader = PluginHelper.getRoutesLoader(camelContext);
        try {
            loader.loadRoutes(ResourceHelper.resolveMandatoryResource(camelContext, TEMPLATE));
            Map<String, String> names = new HashMap<>();
            for (Path file : routeFiles()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String prepared = prepare(file.toString(), text, names, camelContext);
                if (prepared != null) loader.loadRoutes(ResourceHelper.fromString("file:" + file, prepared));
            }
            subscriptionNames.addAll(names.keySet().stream().sorted().toList());
        } catch (RouteConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not load routes from " + routesDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    private List<Path> routeFiles() throws IOException {
        if (!Files.isDirectory(routesDir)) return List.of();
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /**
     * Validates one route file's subscriptions and returns the text Camel loads (map-style parameters turned
     * into Camel's name/value list), or null for a file with nothing in it (all commented out). Files without
     * a map-style subscription are returned unchanged.
     *
     * @param names subscription name → file and line where it was first declared, across files
     */
    static String prepare(String file, String text, Map<String, String> names, CamelContext camelContext) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            // where the broken construct starts (an unclosed quote, say) is more telling than where parsing gave up
            var mark = e.getContextMark() != null ? e.getContextMark() : e.getProblemMark();
            int line = mark != null ? mark.getLine() + 1 : 0;
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new RouteConfigurationException(file, line, "YAML syntax error: " + context + e.getProblem());
        }
        if (root == null) return null;
        if (!(root instanceof SequenceNode routes)) {
            throw new RouteConfigurationException(file, line(root), "a route file is a YAML list (each entry starts with '- ')");
        }
        boolean rewritten = false;
        for (Node entry : routes.getValue()) {
            if (!(entry instanceof MappingNode mapping)) continue;
            for (NodeTuple tuple : mapping.getValue()) {
                if (!"templatedRoute".equals(scalar(tuple.getKeyNode()))) continue;
                if (!(tuple.getValueNode() instanceof MappingNode templated)) {
                    throw new RouteConfigurationException(file, line(tuple.getValueNode()), "templatedRoute must be a mapping");
                }
                try {
                    rewritten |= checkSubscription(file, templated, names, camelContext);
                } catch (IllegalArgumentException e) {
                    throw new RouteConfigurationException(file, line(templated), e.getMessage());
                }
            }
        }
        if (!rewritten) return text;
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        StringWriter out = new StringWriter();
        new Yaml(new Representer(options), options).serialize(root, out);
        return out.toString();
    }

    /** @return true if the parameters were rewritten from a map into Camel's list */
    private static boolean checkSubscription(String file, MappingNode templated, Map<String, String> names, CamelContext camelContext) {
        Node ref = value(templated, "routeTemplateRef");
        if (ref == null || !TEMPLATE_ID.equals(scalar(ref))) return false;
        Node parametersNode = value(templated, "parameters");
        if (parametersNode == null) {
            throw new RouteConfigurationException(file, line(templated), "a webhook-subscription needs parameters (at least name and url)");
        }
        Map<String, ScalarNode> parameters = new LinkedHashMap<>();
        boolean mapStyle = parametersNode instanceof MappingNode;
        if (parametersNode instanceof MappingNode map) {
            for (NodeTuple p : map.getValue()) {
                if (!(p.getValueNode() instanceof ScalarNode v)) {
                    throw new RouteConfigurationException(file, line(p.getValueNode()), "parameter '" + scalar(p.getKeyNode()) + "' must be a single value");
                }
                parameters.put(scalar(p.getKeyNode()), v);
            }
        } else if (parametersNode instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                Node n = item instanceof MappingNode m ? value(m, "name") : null;
                Node v = item instanceof MappingNode m ? value(m, "value") : null;
                if (!(n instanceof ScalarNode) || !(v instanceof ScalarNode vs)) {
                    throw new RouteConfigurationException(file, line(item), "each parameter needs a name and a value");
                }
                parameters.put(scalar(n), vs);
            }
        } else {
            throw new RouteConfigurationException(file, line(parametersNode), "parameters must be a mapping of name: value");
        }
        for (Map.Entry<String, ScalarNode> p : parameters.entrySet()) {
            if (!PARAMETERS.contains(p.getKey())) {
                throw new RouteConfigurationException(file, line(p.getValue()), "unknown parameter '" + p.getKey()
                        + "' for webhook-subscription (known: " + String.join(", ", PARAMETERS.stream().sorted().toList()) + ")");
            }
        }
        for (String required : List.of("name", "url")) {
            if (!parameters.containsKey(required)) {
                throw new RouteConfigurationException(file, line(parametersNode), "parameter '" + required + "' is required");
            }
        }
        String name = resolved(camelContext, parameters.get("name").getValue());
        int nameLine = line(parameters.get("name"));
        if (!name.matches("[a-z0-9-]+")) {
            throw new RouteConfigurationException(file, nameLine, "name must match [a-z0-9-]+, found '" + name + "'");
        }
        String first = names.putIfAbsent(name, file + ", line " + nameLine);
        if (first != null) {
            throw new RouteConfigurationException(file, nameLine, "duplicate subscription name '" + name + "' (first declared in " + first + ")");
        }
        checkUrl(file, parameters.get("url"), camelContext);
        String format = parameters.containsKey("format") ? resolved(camelContext, parameters.get("format").getValue()) : "cloudevents";
        if (!EventRenderers.formats().contains(format)) {
            throw new RouteConfigurationException(file, line(parameters.get("format")), "unknown format '" + format
                    + "' (known: " + String.join(", ", EventRenderers.formats().stream().sorted().toList()) + ")");
        }
        if (format.equals("attendee") && parameters.containsKey("secret")) {
            for (String secret : resolved(camelContext, parameters.get("secret").getValue()).split("\\s+")) {
                try {
                    if (!secret.isEmpty()) Base64.getDecoder().decode(secret);
                } catch (IllegalArgumentException e) {
                    throw new RouteConfigurationException(file, line(parameters.get("secret")), "an attendee secret must be base64, as Attendee's dashboard shows it");
                }
            }
        }
        checkNumber(file, parameters, "maxAttempts", 1, true, camelContext);
        checkNumber(file, parameters, "initialDelay", 0, true, camelContext);
        checkNumber(file, parameters, "backoffMultiplier", 1, false, camelContext);
        checkNumber(file, parameters, "maxDelay", 0, true, camelContext);
        checkNumber(file, parameters, "timeout", 1, true, camelContext);
        if (!mapStyle) return false;
        List<Node> pairs = new ArrayList<>();
        for (Map.Entry<String, ScalarNode> p : parameters.entrySet()) {
            List<NodeTuple> pair = List.of(
                    new NodeTuple(plain("name"), plain(p.getKey())),
                    new NodeTuple(plain("value"), new ScalarNode(Tag.STR, p.getValue().getValue(), null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED)));
            pairs.add(new MappingNode(Tag.MAP, pair, DumperOptions.FlowStyle.BLOCK));
        }
        for (NodeTuple t : new ArrayList<>(templated.getValue())) {
            if ("parameters".equals(scalar(t.getKeyNode()))) {
                int i = templated.getValue().indexOf(t);
                templated.getValue().set(i, new NodeTuple(t.getKeyNode(), new SequenceNode(Tag.SEQ, pairs, DumperOptions.FlowStyle.BLOCK)));
            }
        }
        return true;
    }

    private static void checkUrl(String file, ScalarNode node, CamelContext camelContext) {
        String url = resolved(camelContext, node.getValue());
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new RouteConfigurationException(file, line(node), "url must be an absolute http or https URL, found '" + url + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new RouteConfigurationException(file, line(node), "url is not a valid URL: " + e.getMessage());
        }
    }

    private static void checkNumber(String file, Map<String, ScalarNode> parameters, String name, double min, boolean integer,
                                    CamelContext camelContext) {
        ScalarNode node = parameters.get(name);
        if (node == null) return;
        String text = resolved(camelContext, node.getValue());
        try {
            double value = integer ? Long.parseLong(text.strip()) : Double.parseDouble(text.strip());
            if (value < min) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new RouteConfigurationException(file, line(node), name + " must be " + (integer ? "an integer" : "a number")
                    + " of at least " + (integer ? String.valueOf((long) min) : String.valueOf(min)) + ", found '" + text + "'");
        }
    }

    /** Resolves {{...}} placeholders (env:, sys:, properties) the way Camel will. */
    private static String resolved(CamelContext camelContext, String value) {
        if (value == null || !value.contains("{{") || camelContext == null) return value == null ? "" : value;
        return camelContext.resolvePropertyPlaceholders(value);
    }

    private static Node value(MappingNode mapping, String key) {
        for (NodeTuple t : mapping.getValue()) if (key.equals(scalar(t.getKeyNode()))) return t.getValueNode();
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static ScalarNode plain(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
