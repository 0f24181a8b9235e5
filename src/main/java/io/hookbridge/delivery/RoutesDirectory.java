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
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
 * Loads the {@code webhook-subscription} template and every {@code *.yaml} directly in the routes dir, checking
 * each file first: YAML syntax, Camel's YAML DSL schema ({@link CamelYamlSchema}), and each subscription's
 * parameters (unknown or missing, bad URL, unknown format, bad number, duplicate name). At start-up a problem
 * stops HookBridge naming file and line; while it runs, the directory is watched and a changed file replaces
 * only its own routes, or is refused (logged, {@link #problems()}) while its previous version keeps running.
 * Subscription parameters may be written as Camel's own list of name/value pairs or, HookBridge's shorthand, as a
 * map of name: value.
 */
@Component
public class RoutesDirectory implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutesDirectory.class);

    public static final String TEMPLATE_ID = "webhook-subscription";
    static final String TEMPLATE = "classpath:io/hookbridge/delivery/webhook-subscription.yaml";

    private final Path routesDir;
    private final boolean reload;
    private final long reloadDelayMillis;
    /** What each route file in the directory runs now: the text Camel loaded, its routes, its subscriptions. */
    private final Map<Path, LoadedFile> loaded = new ConcurrentHashMap<>();
    /** Route files refused at the last look, with why; their previous version (if any) keeps running. */
    private final Map<Path, List<RouteProblem>> problems = new ConcurrentHashMap<>();
    private final Map<Path, ScheduledFuture<?>> pendingReloads = new ConcurrentHashMap<>();
    private volatile CamelContext camelContext;
    private ScheduledExecutorService reloads;
    private FileWatcherResourceReloadStrategy watcher;

    record LoadedFile(String text, List<String> routeIds, Map<String, String> subscriptions) { }

    public RoutesDirectory(HookBridgeProperties properties,
                           @Value("${hookbridge.routes-reload:true}") boolean reload) {
        this.routesDir = Path.of(properties.getRoutesDir());
        this.reload = reload;
        this.reloadDelayMillis = 300;
    }

    public Path directory() {
        return routesDir.toAbsolutePath();
    }

    /** Names of the subscriptions running, sorted. */
    public List<String> subscriptionNames() {
        return loaded.values().stream().flatMap(f -> f.subscriptions().keySet().stream()).sorted().toList();
    }

    /** Route files refused (at start-up nothing is: a bad file stops it), as {@code file:line: problem}, by file and line. */
    public List<RouteProblem> problems() {
        return problems.values().stream().flatMap(List::stream).sorted().toList();
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camelContext = camelContext;
        try {
            PluginHelper.getRoutesLoader(camelContext).loadRoutes(ResourceHelper.resolveMandatoryResource(camelContext, TEMPLATE));
        } catch (Exception e) {
            throw new IllegalStateException("could not load the webhook-subscription template: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(routesDir)) {
            log.warn("no routes directory at {} (hookbridge.routes-dir): no subscriptions", routesDir.toAbsolutePath());
        }
        for (Path file : routeFiles(routesDir)) {
            String text = read(file);
            List<RouteProblem> found = check(file, text, namesOutside(file), camelContext, EventRenderers.formats());
            if (!found.isEmpty()) {
                RouteProblem first = found.get(0);
                throw new RouteConfigurationException(first.file(), first.line(), first.problem());
            }
            try {
                load(file, text);
            } catch (RouteConfigurationException e) {
                throw e;
            } catch (Exception e) {
                throw new RouteConfigurationException(file.toString(), 0, "Camel could not load it: " + e.getMessage());
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        if (!reload || !Files.isDirectory(routesDir)) return;
        reloads = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "routes-reload");
            thread.setDaemon(true);
            return thread;
        });
        // Camel's own watcher (the one camel.main.routes-reload-enabled uses) tells which file changed; what to do
        // about it is HookBridge's: that file's routes only, after checking it, and never the template
        watcher = new FileWatcherResourceReloadStrategy(routesDir.toString(), false);
        watcher.setFileFilter(f -> f.getName().endsWith(".yaml"));
        watcher.setPollTimeout(500);
        watcher.setResourceReload((name, resource) -> scheduleReload(Path.of(name)));
        try {
            camelContext.addService(watcher, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("could not watch " + routesDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        log.info("watching {} for route file changes", routesDir.toAbsolutePath());
    }

    @PreDestroy
    void stopWatching() {
        if (reloads != null) reloads.shutdownNow();
    }

    /** Editors write a file in several steps (truncate, write, rename): act once it has been quiet for a moment. */
    private void scheduleReload(Path file) {
        Path key = file.toAbsolutePath().normalize();
        ScheduledExecutorService executor = reloads;
        if (executor == null || executor.isShutdown()) return;
        pendingReloads.compute(key, (k, pending) -> {
            if (pending != null) pending.cancel(false);
            return executor.schedule(() -> {
                pendingReloads.remove(k);
                try {
                    reload(k);
                } catch (RuntimeException e) {
                    refuse(k, List.of(new RouteProblem(k.toString(), 0, "could not apply it: " + e.getMessage())));
                }
            }, reloadDelayMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Brings one route file's routes in line with the file: added, replaced or removed. A file that fails its
     * check is refused and its previous routes keep running. Subscription queues are durable, so events that
     * arrive while a subscription's route is swapped wait on the broker; its one consumer stops (unacknowledged
     * events return to the queue, in order) before the new one starts, so each subject's order is kept.
     */
    public synchronized void reload(Path file) {
        Path key = keyOf(file);
        LoadedFile previous = loaded.get(key);
        if (!Files.isRegularFile(file)) {
            if (previous != null) {
                removeRoutes(key, previous);
                log.info("route file {} removed: stopped and removed routes {}", file, previous.routeIds());
            }
            problems.remove(key);
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            refuse(key, List.of(new RouteProblem(file.toString(), 0, "cannot read it: " + e.getMessage())));
            return;
        }
        if (previous != null && previous.text().equals(text) && !problems.containsKey(key)) return;
        List<RouteProblem> found = check(file, text, namesOutside(key), camelContext, EventRenderers.formats());
        if (!found.isEmpty()) {
            refuse(key, found);
            return;
        }
        try {
            if (previous != null) removeRoutes(key, previous);
            LoadedFile now = load(file, text);
            problems.remove(key);
            log.info("route file {} {}: routes {}", file, previous == null ? "added" : "reloaded", now.routeIds());
        } catch (Exception e) {
            // Camel refused what passed the checks (an unknown component, say): put the previous version back
            refuse(key, List.of(new RouteProblem(file.toString(), 0, "Camel could not load it: " + e.getMessage())));
            loaded.remove(key);
            if (previous != null) {
                try {
                    load(file, previous.text());
                } catch (Exception again) {
                    log.error("route file {}: could not restore its previous routes either: {}", file, again.getMessage());
                }
            }
        }
    }

    private void refuse(Path key, List<RouteProblem> found) {
        problems.put(key, List.copyOf(found));
        for (RouteProblem problem : found) {
            log.error("route file refused, its previous version keeps running: {}", problem);
        }
    }

    private LoadedFile load(Path file, String text) throws Exception {
        Path key = keyOf(file);
        Map<String, String> subscriptions = new LinkedHashMap<>();
        String prepared = prepare(file.toString(), text, subscriptions, camelContext, EventRenderers.formats());
        List<String> routeIds = new ArrayList<>();
        if (prepared != null) {
            Set<String> before = routeIds();
            PluginHelper.getRoutesLoader(camelContext).loadRoutes(ResourceHelper.fromString("file:" + file, prepared));
            for (String id : routeIds()) if (!before.contains(id)) routeIds.add(id);
        }
        LoadedFile now = new LoadedFile(text, List.copyOf(routeIds), Map.copyOf(subscriptions));
        loaded.put(key, now);
        return now;
    }

    private void removeRoutes(Path key, LoadedFile file) {
        ModelCamelContext model = (ModelCamelContext) camelContext;
        for (String id : file.routeIds()) {
            RouteDefinition definition = model.getRouteDefinition(id);
            try {
                if (definition != null) {
                    model.removeRouteDefinition(definition);
                } else {
                    camelContext.getRouteController().stopRoute(id);
                    camelContext.removeRoute(id);
                }
            } catch (Exception e) {
                log.error("could not remove route {} of {}: {}", id, key, e.getMessage());
            }
        }
        loaded.remove(key);
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (RouteDefinition definition : ((ModelCamelContext) camelContext).getRouteDefinitions()) ids.add(definition.getId());
        return ids;
    }

    /** Subscription names declared by the route files other than this one. */
    private Map<String, String> namesOutside(Path file) {
        Path key = keyOf(file);
        Map<String, String> names = new HashMap<>();
        loaded.forEach((path, f) -> {
            if (!path.equals(key)) names.putAll(f.subscriptions());
        });
        return names;
    }

    private static Path keyOf(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RouteConfigurationException(file.toString(), 0, "cannot read it: " + e.getMessage());
        }
    }

    /** The {@code *.yaml} files directly in the directory, by name; sub-directories (routes/examples/) are not read. */
    public static List<Path> routeFiles(Path routesDir) {
        if (!Files.isDirectory(routesDir)) return List.of();
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new RouteConfigurationException(routesDir.toString(), 0, "cannot list it: " + e.getMessage());
        }
    }

    /**
     * Every problem of one route file: its YAML syntax, Camel's YAML DSL schema, then each subscription's
     * parameters (the first problem of those). Empty when the file is fine.
     *
     * @param names   subscription name → where it is declared, in the other route files
     * @param formats the formats a subscription may name
     */
    public static List<RouteProblem> check(Path file, String text, Map<String, String> names, CamelContext camelContext,
                                           Set<String> formats) {
        String name = file.toString();
        List<RouteProblem> found = new ArrayList<>();
        try {
            prepare(name, text, new HashMap<>(names), camelContext, formats);
        } catch (RouteConfigurationException e) {
            found.add(e.problem());
            if (e.problem().problem().startsWith(SYNTAX_ERROR)) return found;
        }
        for (RouteProblem problem : CamelYamlSchema.check(name, text)) {
            if (found.stream().noneMatch(p -> p.line() == problem.line())) found.add(problem);
        }
        found.sort(null);
        return found;
    }

    static final String SYNTAX_ERROR = "YAML syntax error";

    /** The subscriptions a file that passed {@link #check} declares: name → {@code file:line}. */
    public static Map<String, String> subscriptionsOf(Path file, String text, Set<String> formats) {
        Map<String, String> names = new LinkedHashMap<>();
        prepare(file.toString(), text, names, null, formats);
        return names;
    }

    static String prepare(String file, String text, Map<String, String> names, CamelContext camelContext) {
        return prepare(file, text, names, camelContext, EventRenderers.formats());
    }

    /**
     * Validates one route file's subscriptions and returns the text Camel loads (map-style parameters turned
     * into Camel's name/value list), or null for a file with nothing in it (all commented out). Files without
     * a map-style subscription are returned unchanged.
     *
     * @param names subscription name → file and line where it was first declared, across files
     */
    static String prepare(String file, String text, Map<String, String> names, CamelContext camelContext, Set<String> formats) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            // where the broken construct starts (an unclosed quote, say) is more telling than where parsing gave up
            var mark = e.getContextMark() != null ? e.getContextMark() : e.getProblemMark();
            int line = mark != null ? mark.getLine() + 1 : 0;
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new RouteConfigurationException(file, line, SYNTAX_ERROR + ": " + context + e.getProblem());
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
                    rewritten |= checkSubscription(file, templated, names, camelContext, formats);
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
    private static boolean checkSubscription(String file, MappingNode templated, Map<String, String> names, CamelContext camelContext,
                                             Set<String> formats) {
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
            if (!SubscriptionParameters.names().contains(p.getKey())) {
                throw new RouteConfigurationException(file, line(p.getValue()), "unknown parameter '" + p.getKey()
                        + "' for webhook-subscription (known: " + String.join(", ", SubscriptionParameters.names().stream().sorted().toList()) + ")");
            }
        }
        for (String required : SubscriptionParameters.required()) {
            if (!parameters.containsKey(required)) {
                throw new RouteConfigurationException(file, line(parametersNode), "parameter '" + required + "' is required");
            }
        }
        String name = resolved(camelContext, parameters.get("name").getValue());
        int nameLine = line(parameters.get("name"));
        if (!name.contains("{{") && !name.matches("[a-z0-9-]+")) {
            throw new RouteConfigurationException(file, nameLine, "name must match [a-z0-9-]+, found '" + name + "'");
        }
        String first = names.putIfAbsent(name, file + ":" + nameLine);
        if (first != null) {
            throw new RouteConfigurationException(file, nameLine, "duplicate subscription name '" + name + "' (first declared in " + first + ")");
        }
        checkUrl(file, parameters.get("url"), camelContext);
        String format = parameters.containsKey("format") ? resolved(camelContext, parameters.get("format").getValue()) : "cloudevents";
        if (!format.contains("{{") && !formats.contains(format)) {
            throw new RouteConfigurationException(file, line(parameters.get("format")), "unknown format '" + format
                    + "' (known: " + String.join(", ", formats.stream().sorted().toList()) + ")");
        }
        if (format.equals("attendee") && parameters.containsKey("secret")) {
            for (String secret : resolved(camelContext, parameters.get("secret").getValue()).split("\\s+")) {
                if (secret.contains("{{")) continue;
                try {
                    if (!secret.isEmpty()) Base64.getDecoder().decode(secret);
                } catch (IllegalArgumentException e) {
                    throw new RouteConfigurationException(file, line(parameters.get("secret")), "an attendee secret must be base64, as Attendee's dashboard shows it");
                }
            }
        }
        for (Map.Entry<String, ScalarNode> p : parameters.entrySet()) {
            String value = resolved(camelContext, p.getValue().getValue());
            String problem = value.contains("{{") ? null : SubscriptionParameters.problem(p.getKey(), value);
            if (problem != null) throw new RouteConfigurationException(file, line(p.getValue()), problem);
        }
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
        if (url.contains("{{")) return;
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

    /**
     * Resolves {{...}} placeholders (env:, sys:, properties) the way Camel will; without a CamelContext (the
     * validate command) they stay as written, and the checks skip values that still hold one.
     */
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
