package io.hookbridge.vendor;

import io.hookbridge.vendor.auth.Verifiers;
import io.hookbridge.vendor.inbound.WebhookSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.hookbridge.config.HookBridgeProperties;

/**
 * The sources HookBridge accepts webhooks from: every {@code io/hookbridge/source/<id>/source.yaml} on the
 * class path, each paired with its configured secrets. A broken definition stops start-up naming the file.
 */
@Component
public class VendorCatalog {

    static final String DEFINITIONS = "classpath*:io/hookbridge/source/*/source.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, WebhookSource> sources = new LinkedHashMap<>();

    public VendorCatalog(HookBridgeProperties properties) throws IOException {
        for (VendorDefinition definition : loadDefinitions()) {
            HookBridgeProperties.Source settings = properties.getSources().get(definition.id);
            List<String> secrets = settings == null ? List.of() : settings.activeSecrets();
            sources.put(definition.id, new WebhookSource(definition, secrets));
        }
    }

    /** @return the source, or null when none has that id */
    public WebhookSource find(String id) {
        return sources.get(id);
    }

    public Collection<WebhookSource> all() {
        return sources.values();
    }

    public static List<VendorDefinition> loadDefinitions() throws IOException {
        List<VendorDefinition> definitions = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources(DEFINITIONS)) {
            definitions.add(load(resource));
        }
        return definitions;
    }

    static VendorDefinition load(Resource resource) throws IOException {
        VendorDefinition definition;
        try (InputStream in = resource.getInputStream()) {
            definition = YAML.readValue(in, VendorDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException("source definition " + resource.getDescription() + ": " + e.getMessage(), e);
        }
        try {
            validate(definition);
        } catch (RuntimeException e) {
            throw new IllegalStateException("source definition " + resource.getDescription() + ": " + e.getMessage(), e);
        }
        return definition;
    }

    static void validate(VendorDefinition d) {
        if (d.id == null || !d.id.matches("[a-z0-9-]+")) throw new IllegalArgumentException("id must match [a-z0-9-]+, found " + d.id);
        if (d.auth.scheme == null || d.auth.header == null) throw new IllegalArgumentException("auth needs a scheme and a header");
        Verifiers.forScheme(d.auth.scheme);
        if (d.shapes.isEmpty()) throw new IllegalArgumentException("at least one shape is required");
        for (VendorDefinition.Shape shape : d.shapes) {
            if (shape.event == null) throw new IllegalArgumentException("every shape needs an event");
            if (!shape.event.startsWith("=")) pointer(shape.event);
            if (shape.when != null) pointer(shape.when);
            if (shape.qualifier != null) pointer(shape.qualifier);
            shape.required.forEach((pointer, kind) -> {
                pointer(pointer);
                if (!List.of("string", "object", "array", "number", "scalar", "any").contains(kind)) {
                    throw new IllegalArgumentException("unknown kind '" + kind + "' for " + pointer);
                }
            });
        }
        d.decode.forEach(VendorCatalog::pointer);
        d.subject.forEach(VendorCatalog::pointer);
        d.time.forEach(VendorCatalog::pointer);
        d.fields.values().forEach(pointers -> pointers.forEach(VendorCatalog::pointer));
        if (!VendorDefinition.BODY_SHA256.equals(d.eventId)) pointer(d.eventId);
        d.types.forEach((event, type) -> {
            if (!(type instanceof String) && !(type instanceof Map<?, ?> m && m.values().stream().allMatch(String.class::isInstance))) {
                throw new IllegalArgumentException("types." + event + " must be a canonical type or a map of qualifier to canonical type");
            }
        });
    }

    private static void pointer(String pointer) {
        if (pointer == null || !pointer.startsWith("/")) throw new IllegalArgumentException("'" + pointer + "' is not a JSON pointer");
        JsonPointer.compile(pointer);
    }
}
