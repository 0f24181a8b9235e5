package io.hookbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes subscription routes (templatedRoute entries of webhook-subscription, Camel's list form) into a routes dir for a test gateway. */
public final class Routes {

    private final StringBuilder yaml = new StringBuilder();

    public Routes subscription(String name, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("name", name);
        all.putAll(parameters);
        yaml.append("- templatedRoute:\n")
            .append("    routeTemplateRef: webhook-subscription\n")
            .append("    routeId: ").append(name).append('\n')
            .append("    parameters:\n");
        all.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"").append(v).append("\"\n"));
        return this;
    }

    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("subscriptions.yaml"), yaml.toString());
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
