package io.hookbridge.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The typed parameter table of the {@code webhook-subscription} template
 * ({@code webhook-subscription.parameters.yaml}, Kamelet-style JSON Schema properties): Camel's route template
 * parameters cannot carry a type, so the route checks read names, required parameters and numeric types here.
 */
public final class SubscriptionParameters {

    static final String LOCATION = "io/hookbridge/delivery/webhook-subscription.parameters.yaml";

    /** One parameter: its JSON Schema type and, for numbers, the least value allowed (null: none). */
    public record Parameter(String name, String type, Double minimum, String defaultValue, boolean secret) { }

    private static final Map<String, Parameter> PARAMETERS;
    private static final List<String> REQUIRED;

    static {
        JsonNode spec;
        try (InputStream in = SubscriptionParameters.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) throw new IllegalStateException(LOCATION + " is missing from the class path");
            spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOCATION + ": " + e.getMessage(), e);
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        spec.path("properties").fields().forEachRemaining(p -> {
            JsonNode property = p.getValue();
            parameters.put(p.getKey(), new Parameter(p.getKey(), property.path("type").asText("string"),
                    property.has("minimum") ? property.get("minimum").asDouble() : null,
                    property.has("default") ? property.get("default").asText() : null,
                    "password".equals(property.path("format").asText())));
        });
        List<String> required = new ArrayList<>();
        spec.path("required").forEach(r -> required.add(r.asText()));
        PARAMETERS = Collections.unmodifiableMap(parameters);
        REQUIRED = List.copyOf(required);
    }

    private SubscriptionParameters() { }

    public static Set<String> names() {
        return PARAMETERS.keySet();
    }

    public static Map<String, Parameter> all() {
        return PARAMETERS;
    }

    public static List<String> required() {
        return REQUIRED;
    }

    /** @return what is wrong with this text as that parameter's value (integer or number, at least its minimum), or null */
    public static String problem(String name, String text) {
        Parameter parameter = PARAMETERS.get(name);
        if (parameter == null || !(parameter.type().equals("integer") || parameter.type().equals("number"))) return null;
        boolean integer = parameter.type().equals("integer");
        double min = parameter.minimum() == null ? Double.NEGATIVE_INFINITY : parameter.minimum();
        try {
            double value = integer ? Long.parseLong(text.strip()) : Double.parseDouble(text.strip());
            if (value >= min) return null;
        } catch (NumberFormatException e) {
            // said below
        }
        String least = parameter.minimum() == null ? "" : " of at least " + (integer ? String.valueOf((long) min) : String.valueOf(min));
        return name + " must be " + (integer ? "an integer" : "a number") + least + ", found '" + text + "'";
    }
}
