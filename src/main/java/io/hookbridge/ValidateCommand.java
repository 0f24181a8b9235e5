package io.hookbridge;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.LoggerFactory;

import io.hookbridge.delivery.CloudEventsRenderer;
import io.hookbridge.delivery.RouteProblem;
import io.hookbridge.delivery.RoutesDirectory;
import io.hookbridge.vendor.VendorCatalog;

/**
 * {@code java -jar hookbridge.jar validate [routes-dir] [vendors-dir]}: checks every route file (YAML syntax,
 * Camel's YAML DSL schema, subscription parameters, URLs, formats) and every vendor file without starting the
 * gateway, prints {@code file:line: problem} lines and exits 1 on any problem.
 */
public final class ValidateCommand {

    static final String NAME = "validate";

    private ValidateCommand() { }

    public static int run(List<String> args, PrintStream out) {
        if (args.size() > 2 || args.stream().anyMatch(a -> a.startsWith("-"))) {
            out.println("usage: java -jar hookbridge.jar validate [routes-dir] [vendors-dir]   (defaults: routes vendors)");
            return 2;
        }
        quietLogging();
        Path routesDir = Path.of(args.size() > 0 ? args.get(0) : "routes");
        Path vendorsDir = Path.of(args.size() > 1 ? args.get(1) : "vendors");
        List<String> problems = new ArrayList<>();

        problems.addAll(VendorCatalog.check(vendorsDir));
        Set<String> formats = new LinkedHashSet<>();
        formats.add(CloudEventsRenderer.FORMAT);
        formats.addAll(VendorCatalog.formats(vendorsDir));
        int vendorFiles = yamlFilesIn(vendorsDir);

        int routeFiles = 0;
        if (!Files.isDirectory(routesDir)) {
            problems.add(routesDir + ":0: no such directory");
        } else {
            Map<String, String> names = new HashMap<>();
            for (Path file : RoutesDirectory.routeFiles(routesDir)) {
                routeFiles++;
                try {
                    String text = Files.readString(file);
                    List<RouteProblem> found = RoutesDirectory.check(file, text, names, null, formats);
                    found.forEach(p -> problems.add(p.toString()));
                    if (found.isEmpty()) names.putAll(RoutesDirectory.subscriptionsOf(file, text, formats));
                } catch (java.io.IOException e) {
                    problems.add(file + ":0: cannot read it: " + e.getMessage());
                }
            }
        }
        problems.forEach(out::println);
        if (!problems.isEmpty()) {
            out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems"));
            return 1;
        }
        out.println("ok: " + routeFiles + " route files, " + vendorFiles + " vendor files");
        return 0;
    }

    /** No Spring Boot here to set logging up: logback's default would print every library's DEBUG lines. */
    private static void quietLogging() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static int yamlFilesIn(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (var files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
