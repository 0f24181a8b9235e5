package io.hookbridge.vendor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.vendor.attendee.AttendeeScheme;
import io.hookbridge.vendor.auth.AuthScheme;
import io.hookbridge.vendor.auth.AuthSchemes;
import io.hookbridge.vendor.inbound.PayloadPath;
import io.hookbridge.vendor.inbound.WebhookSource;
import io.hookbridge.vendor.outbound.TemplateFormat;

/**
 * The vendors HookBridge knows, from one loader: the built-in definitions inside the jar
 * ({@code io/hookbridge/vendors/<id>.yaml}, copied from the repository's {@code vendors/}), then every
 * {@code *.yaml} in {@code hookbridge.vendors-dir}, a file overriding the built-in of the same id. Each vendor is
 * both a source (inbound) and, with an {@code outbound} section, a subscription format.
 *
 * <p>The directory is watched: a file added, edited or removed takes effect within about a second, by swapping
 * one immutable {@link Vendors} snapshot (a webhook being verified keeps the definition it started with). An
 * edit with problems is refused with {@code file:line: problem} (logged, and listed by {@link #problems()}), and
 * the file's previous definition keeps serving. At start-up any problem stops the gateway.
 */
@Component
public class VendorCatalog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(VendorCatalog.class);

    /** The built-in vendors, in this order, as class-path resources. */
    public static final List<String> BUILT_IN = List.of("pencil", "iotum", "recordings", "attendee", "spaceos");
    static final String BUILT_IN_LOCATION = "io/hookbridge/vendors/";
    private static final long POLL_MILLIS = 1000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The running gateway's catalog; null outside one (tests, tools), where {@link #current()} gives the built-ins. */
    private static volatile VendorCatalog installed;

    /** Everything known at one moment: immutable, swapped whole. */
    public record Vendors(Map<String, VendorDefinition> definitions, Map<String, String> origins,
                          Map<String, WebhookSource> sources, Map<String, TemplateFormat> formats, List<String> problems) {
        public Vendors {
            definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
            origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
            sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
            formats = Collections.unmodifiableMap(new LinkedHashMap<>(formats));
            problems = List.copyOf(problems);
        }
    }

    /** One file read: its definition when it has no problem, else its problems as {@code file:line: problem}. */
    record Loaded(String location, VendorDefinition definition, List<String> problems) { }

    private final Path directory;
    private final Function<VendorDefinition, List<String>> secrets;
    private final AtomicReference<Vendors> current = new AtomicReference<>();
    /** The last good definition of each file of the directory, kept while an edit of it is refused. */
    private final Map<Path, VendorDefinition> lastGood = new LinkedHashMap<>();
    private String fingerprint = "";
    private final Thread watcher;
    /** The catalog installed before this one (another gateway in the same JVM, as in tests), restored on close. */
    private VendorCatalog previous;

    @Autowired
    public VendorCatalog(HookBridgeProperties properties, Environment environment) {
        this(Path.of(properties.getVendorsDir()), definition -> secretsOf(properties, environment, definition), true);
        previous = installed;
        installed = this;
    }

    /** A catalog of the built-ins and this directory, with these secrets per vendor, watched or not. */
    public VendorCatalog(Path directory, Function<VendorDefinition, List<String>> secrets, boolean watch) {
        this.directory = directory;
        this.secrets = secrets;
        List<String> problems = reload();
        if (!problems.isEmpty()) {
            throw new VendorFilesException(problems);
        }
        if (watch) {
            watcher = new Thread(this::watch, "hookbridge-vendors-watch");
            watcher.setDaemon(true);
            watcher.start();
        } else {
            watcher = null;
        }
    }

    // ------------------------------------------------------------------------------------------ lookups

    /** The snapshot now; hold it for the length of one piece of work. */
    public Vendors vendors() {
        return current.get();
    }

    /** @return the source, or null when none has that id */
    public WebhookSource find(String id) {
        return current.get().sources().get(id);
    }

    public Collection<WebhookSource> all() {
        return current.get().sources().values();
    }

    /** The problems of the files as they are now on disk (empty when every file loaded). */
    public List<String> problems() {
        return current.get().problems();
    }

    public Path directory() {
        return directory;
    }

    /** The running gateway's vendors, or the built-ins when no gateway runs in this JVM. */
    public static Vendors current() {
        VendorCatalog catalog = installed;
        return catalog != null ? catalog.vendors() : BuiltIns.VENDORS;
    }

    /** The built-in definitions (from the class path), in {@link #BUILT_IN} order. */
    public static List<VendorDefinition> builtInDefinitions() {
        return BuiltIns.LOADED.stream().map(Loaded::definition).toList();
    }

    /** A source for a definition with these secrets, outside any catalog (tests, tools). */
    public static WebhookSource source(VendorDefinition definition, List<String> secrets) {
        return build(definition, secrets).source();
    }

    @Override
    public void destroy() {
        if (installed == this) installed = previous;
        if (watcher != null) watcher.interrupt();
    }

    // ------------------------------------------------------------------------------------------ loading

    /** Reads every file again and swaps in the result; returns the problems found (already logged). */
    synchronized List<String> reload() {
        Map<String, VendorDefinition> definitions = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Loaded builtIn : BuiltIns.LOADED) {
            definitions.put(builtIn.definition().id, builtIn.definition());
            origins.put(builtIn.definition().id, builtIn.location());
        }
        fingerprint = fingerprint(directory);
        Map<Path, VendorDefinition> good = new LinkedHashMap<>();
        Map<String, String> fromFile = new LinkedHashMap<>();
        for (Path file : files(directory, problems)) {
            Loaded loaded = load(file);
            VendorDefinition definition = loaded.definition();
            List<String> fileProblems = new ArrayList<>(loaded.problems());
            if (definition != null && fromFile.containsKey(definition.id)) {
                fileProblems.add(file + ":1: vendor id '" + definition.id + "' is already defined by " + fromFile.get(definition.id));
                definition = null;
            }
            if (definition != null) {
                try {
                    build(definition, secrets.apply(definition));
                } catch (RuntimeException e) {
                    fileProblems.add(file + ":1: " + e.getMessage());
                    definition = null;
                }
            }
            if (!fileProblems.isEmpty()) {
                problems.addAll(fileProblems);
                definition = lastGood.get(file);
                if (definition != null) {
                    log.error("{} refused; its previous definition of '{}' keeps serving:\n  {}", file, definition.id, String.join("\n  ", fileProblems));
                } else {
                    log.error("{} refused:\n  {}", file, String.join("\n  ", fileProblems));
                }
            }
            if (definition != null && !fromFile.containsKey(definition.id)) {
                good.put(file, definition);
                fromFile.put(definition.id, file.toString());
                definitions.put(definition.id, definition);
                origins.put(definition.id, file.toString());
            }
        }
        lastGood.clear();
        lastGood.putAll(good);
        Map<String, WebhookSource> sources = new LinkedHashMap<>();
        Map<String, TemplateFormat> formats = new LinkedHashMap<>();
        definitions.forEach((id, definition) -> {
            Built built = build(definition, secrets.apply(definition));
            sources.put(id, built.source());
            if (built.format() != null) formats.put(id, built.format());
        });
        Vendors before = current.getAndSet(new Vendors(definitions, origins, sources, formats, problems));
        if (before != null) log.info("vendors reloaded from {}: {}", directory, origins.keySet());
        return problems;
    }

    private record Built(WebhookSource source, TemplateFormat format) { }

    private static Built build(VendorDefinition definition, List<String> secrets) {
        AuthScheme scheme = scheme(definition.auth);
        return new Built(new WebhookSource(definition, scheme, secrets),
                definition.outbound == null ? null : new TemplateFormat(definition, scheme));
    }

    /** The scheme an auth section names: Attendee's canonical-JSON HMAC or one of {@link AuthSchemes}. */
    public static AuthScheme scheme(VendorDefinition.Auth auth) {
        if (AuthSchemes.ATTENDEE.equals(auth.scheme)) {
            if (auth.header == null || auth.header.isBlank()) throw new IllegalArgumentException("auth.header is required for this scheme");
            return new AttendeeScheme(auth.header);
        }
        return AuthSchemes.create(auth);
    }

    /** {@code hookbridge.sources.<id>.secret(s)}, else the file's {@code auth.secret} with placeholders resolved. */
    private static List<String> secretsOf(HookBridgeProperties properties, Environment environment, VendorDefinition definition) {
        HookBridgeProperties.Source configured = properties.getSources().get(definition.id);
        List<String> secrets = configured == null ? List.of() : configured.activeSecrets();
        if (!secrets.isEmpty() || definition.auth.secret == null) return secrets;
        String secret;
        try {
            secret = environment.resolveRequiredPlaceholders(definition.auth.secret);
        } catch (IllegalArgumentException unresolved) {
            // never take the unresolved text itself as the secret: without one every request is refused
            log.warn("vendor '{}': auth.secret names a variable that is not set ({}); its webhooks are refused", definition.id, unresolved.getMessage());
            return List.of();
        }
        return secret.isBlank() ? List.of() : List.of(secret);
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(POLL_MILLIS);
                if (!fingerprint(directory).equals(fingerprint)) reload();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("reloading {} failed; the vendors loaded before keep serving", directory, e);
            }
        }
    }

    /** Names, sizes and modification times of the directory's files: a change of any means a reload. */
    private static String fingerprint(Path directory) {
        if (!Files.isDirectory(directory)) return "";
        StringBuilder print = new StringBuilder();
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path file : listing.filter(VendorCatalog::isDefinition).sorted().toList()) {
                try {
                    print.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                            .append(Files.getLastModifiedTime(file).toInstant()).append('\n');
                } catch (IOException gone) {
                    print.append(file.getFileName()).append(":?\n");
                }
            }
        } catch (IOException e) {
            return "unreadable";
        }
        return print.toString();
    }

    private static boolean isDefinition(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".") && Files.isRegularFile(file);
    }

    private static List<Path> files(Path directory, List<String> problems) {
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(VendorCatalog::isDefinition).sorted().toList();
        } catch (IOException e) {
            problems.add(directory + ":1: cannot be listed: " + e.getMessage());
            return List.of();
        }
    }

    /** One file of the directory; one removed meanwhile has neither definition nor problems. */
    private static Loaded load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return new Loaded(file.toString(), null, List.of());
        } catch (IOException e) {
            return new Loaded(file.toString(), null, List.of(file + ":1: cannot be read: " + e.getMessage()));
        }
        return load(file.toString(), text);
    }

    // ------------------------------------------------------------------------------------------ checking

    /**
     * Checks every vendor file of a directory without starting anything (the {@code validate} command): YAML
     * syntax, unknown keys, values of the wrong type, unknown schemes and kinds, bad expressions and templates,
     * duplicate ids. A directory that does not exist has nothing to check.
     *
     * @return one {@code file:line: problem} line per problem, empty when every file is good
     */
    public static List<String> check(Path vendorsDir) {
        List<String> problems = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (Path file : files(vendorsDir, problems)) {
            Loaded loaded = load(file);
            problems.addAll(loaded.problems());
            VendorDefinition definition = loaded.definition();
            if (definition == null) continue;
            String other = ids.putIfAbsent(definition.id, file.toString());
            if (other != null) {
                problems.add(file + ":" + idLine(file) + ": vendor id '" + definition.id + "' is already defined by " + other);
            }
        }
        return problems;
    }

    /**
     * The subscription formats a gateway with this vendors directory would offer besides cloudevents: the
     * built-ins and every good file with an outbound section (for the {@code validate} command's route checks).
     */
    public static Set<String> formats(Path vendorsDir) {
        Set<String> formats = new LinkedHashSet<>();
        for (Loaded builtIn : BuiltIns.LOADED) if (builtIn.definition().outbound != null) formats.add(builtIn.definition().id);
        for (Path file : files(vendorsDir, new ArrayList<>())) {
            VendorDefinition definition = load(file).definition();
            if (definition == null) continue;
            if (definition.outbound != null) formats.add(definition.id);
            else formats.remove(definition.id);
        }
        return formats;
    }

    private static int idLine(Path file) {
        try {
            return Lines.of(Files.readString(file, StandardCharsets.UTF_8)).line("/id");
        } catch (IOException e) {
            return 1;
        }
    }

    /** Parses and checks one definition's text; {@code location} names it in problems. */
    static Loaded load(String location, String text) {
        Lines lines;
        try {
            lines = Lines.of(text);
        } catch (JsonProcessingException e) {
            return new Loaded(location, null, List.of(location + ":" + line(e.getLocation()) + ": YAML syntax: " + yamlMessage(e.getOriginalMessage())));
        }
        VendorDefinition definition;
        try {
            definition = YAML.readValue(text, VendorDefinition.class);
        } catch (UnrecognizedPropertyException e) {
            String where = e.getPath().size() <= 1 ? "at the top level" : "under " + pathOf(e.getPath().subList(0, e.getPath().size() - 1));
            return new Loaded(location, null, List.of(location + ":" + line(e.getLocation()) + ": unknown key '" + e.getPropertyName()
                    + "' " + where + " (known: " + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ")"));
        } catch (JsonMappingException e) {
            return new Loaded(location, null, List.of(location + ":" + line(e.getLocation()) + ": " + (e.getPath().isEmpty() ? "" : pathOf(e.getPath()) + ": ")
                    + firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            return new Loaded(location, null, List.of(location + ":" + line(e.getLocation()) + ": YAML syntax: " + firstLine(e.getOriginalMessage())));
        }
        if (definition == null) return new Loaded(location, null, List.of(location + ":1: the file is empty"));
        List<String> problems = new ArrayList<>();
        for (DefinitionException problem : validate(definition)) {
            problems.add(location + ":" + lines.line(problem.path()) + ": " + problem.getMessage());
        }
        return new Loaded(location, problems.isEmpty() ? definition : null, problems);
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) text.append(text.length() == 0 ? "" : ".").append(ref.getFieldName());
            else if (ref.getIndex() >= 0) text.append('[').append(ref.getIndex()).append(']');
        }
        return text.toString();
    }

    private static int line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
    }

    /** SnakeYAML's message without its source excerpts: "while parsing X; expected Y, but found Z". */
    private static String yamlMessage(String message) {
        if (message == null) return "";
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static final List<String> KINDS = List.of("string", "object", "array", "number", "scalar", "any");

    /** Every problem of a parsed definition, each at the JSON pointer of the part that is wrong. */
    static List<DefinitionException> validate(VendorDefinition d) {
        List<DefinitionException> problems = new ArrayList<>();
        if (d.id == null || !d.id.matches("[a-z0-9-]+")) {
            problems.add(new DefinitionException("/id", "id must match [a-z0-9-]+, found " + (d.id == null ? "nothing" : "'" + d.id + "'")));
        } else if (d.id.equals("cloudevents")) {
            problems.add(new DefinitionException("/id", "id 'cloudevents' is the name of the CloudEvents format"));
        }
        if (d.auth == null) {
            problems.add(new DefinitionException("", "auth is required"));
        } else {
            try {
                scheme(d.auth);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                String field = message.startsWith("auth.") ? message.substring(5, message.indexOf(' ') < 0 ? message.length() : message.indexOf(' ')) : "scheme";
                problems.add(new DefinitionException("/auth/" + (field.equals("scheme") ? "scheme" : field), message));
            }
        }
        VendorDefinition.Inbound in = d.inbound;
        if (in == null || in.shapes.isEmpty()) {
            problems.add(new DefinitionException(in == null ? "" : "/inbound", "inbound.shapes needs at least one shape"));
        }
        if (in != null) {
            for (int i = 0; i < in.shapes.size(); i++) {
                VendorDefinition.Shape shape = in.shapes.get(i);
                String at = "/inbound/shapes/" + i;
                if (shape.event == null) problems.add(new DefinitionException(at, "every shape needs an event (an expression, or =name)"));
                else if (!shape.event.startsWith("=")) expression(shape.event, at + "/event", problems);
                if (shape.when != null) expression(shape.when, at + "/when", problems);
                if (shape.qualifier != null) expression(shape.qualifier, at + "/qualifier", problems);
                shape.required.forEach((expression, kind) -> {
                    String key = at + "/required/" + expression.replace("~", "~0").replace("/", "~1");
                    expression(expression, key, problems);
                    if (!KINDS.contains(kind)) {
                        problems.add(new DefinitionException(key, "unknown kind '" + kind + "' for " + expression + " (known: " + String.join(", ", KINDS) + ")"));
                    }
                });
            }
            for (int i = 0; i < in.decode.size(); i++) {
                try {
                    PayloadPath.pointer(in.decode.get(i));
                } catch (IllegalArgumentException e) {
                    problems.add(new DefinitionException("/inbound/decode/" + i, e.getMessage()));
                }
            }
            for (int i = 0; i < in.subject.size(); i++) expression(in.subject.get(i), "/inbound/subject/" + i, problems);
            for (int i = 0; i < in.time.size(); i++) expression(in.time.get(i), "/inbound/time/" + i, problems);
            in.fields.forEach((target, expressions) -> {
                for (int i = 0; i < expressions.size(); i++) expression(expressions.get(i), "/inbound/fields/" + target + "/" + i, problems);
            });
            if (!VendorDefinition.BODY_SHA256.equals(in.eventId)) expression(in.eventId, "/inbound/eventId", problems);
        }
        d.types.forEach((event, type) -> {
            if (!(type instanceof String) && !(type instanceof Map<?, ?> m && m.values().stream().allMatch(String.class::isInstance))) {
                problems.add(new DefinitionException("/types/" + event.replace("~", "~0").replace("/", "~1"),
                        "types." + event + " must be a canonical type or a map of qualifier to canonical type"));
            }
        });
        if (problems.isEmpty() && d.outbound != null) {
            try {
                new TemplateFormat(d, scheme(d.auth));
            } catch (DefinitionException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    private static void expression(String expression, String path, List<DefinitionException> problems) {
        try {
            PayloadPath.compile(expression);
        } catch (IllegalArgumentException e) {
            problems.add(new DefinitionException(path, e.getMessage()));
        }
    }

    /** JSON pointer → line of a YAML text, from the parser's token locations. */
    static final class Lines {
        private final Map<String, Integer> lines = new LinkedHashMap<>();

        static Lines of(String text) throws JsonProcessingException {
            Lines index = new Lines();
            try (JsonParser parser = YAML.getFactory().createParser(text)) {
                while (parser.nextToken() != null) {
                    index.lines.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
                    if (parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY) {
                        var parent = parser.getParsingContext().getParent();
                        if (parent != null) index.lines.putIfAbsent(parent.pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
                    }
                }
            } catch (JsonProcessingException e) {
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return index;
        }

        /** The line of the pointer, or of its nearest ancestor that has one; 1 for the whole file. */
        int line(String pointer) {
            String at = pointer;
            while (!at.isEmpty()) {
                Integer line = lines.get(at);
                if (line != null) return line;
                at = at.substring(0, at.lastIndexOf('/'));
            }
            return 1;
        }
    }

    /** The built-in definitions, read once from the class path. */
    private static final class BuiltIns {
        static final List<Loaded> LOADED = load();
        static final Vendors VENDORS = new VendorCatalog(Path.of("/nonexistent/hookbridge-vendors"), definition -> List.of(), false).vendors();

        private static List<Loaded> load() {
            List<Loaded> loaded = new ArrayList<>();
            for (String id : BUILT_IN) {
                String location = "classpath:" + BUILT_IN_LOCATION + id + ".yaml";
                String text;
                try (InputStream in = VendorCatalog.class.getClassLoader().getResourceAsStream(BUILT_IN_LOCATION + id + ".yaml")) {
                    Objects.requireNonNull(in, location + " is missing from the class path");
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(location, e);
                }
                Loaded one = VendorCatalog.load(location, text);
                if (one.definition() == null) throw new IllegalStateException("built-in vendor definition broken:\n  " + String.join("\n  ", one.problems()));
                loaded.add(one);
            }
            return List.copyOf(loaded);
        }
    }
}
