package io.hookbridge.vendor.inbound;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import io.hookbridge.event.EventJson;

/**
 * Where a value is in a vendor's body: a JSON Pointer ({@code /data/meeting/id}, the fast path) or a JSONPath
 * ({@code $.data.participants[0].id}, evaluated by Jayway JsonPath, the library behind camel-jsonpath). A
 * JSONPath that can match several values gives the first.
 */
public abstract sealed class PayloadPath {

    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(EventJson.mapper()))
            .mappingProvider(new JacksonMappingProvider(EventJson.mapper()))
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    /** Compiled once per expression text (compiling one per lookup was measurable). */
    private static final Map<String, PayloadPath> COMPILED = new ConcurrentHashMap<>();

    private final String text;

    private PayloadPath(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong with the expression */
    public static PayloadPath compile(String expression) {
        PayloadPath cached = expression == null ? null : COMPILED.get(expression);
        if (cached != null) return cached;
        PayloadPath path = parse(expression);
        COMPILED.putIfAbsent(expression, path);
        return path;
    }

    private static PayloadPath parse(String expression) {
        if (expression == null || expression.isEmpty()) {
            throw new IllegalArgumentException("an expression is required: a JSON Pointer (/a/b) or a JSONPath ($.a.b)");
        }
        if (expression.startsWith("/")) {
            try {
                return new Pointer(expression, JsonPointer.compile(expression));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + expression + "' is not a valid JSON Pointer: " + e.getMessage());
            }
        }
        if (expression.startsWith("$")) {
            try {
                return new Path(expression, JsonPath.compile(expression));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + expression + "' is not a valid JSONPath: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("'" + expression + "' is neither a JSON Pointer (starting with /) nor a JSONPath (starting with $)");
    }

    /** @throws IllegalArgumentException unless the expression is a JSON Pointer (for places a value is written back) */
    public static JsonPointer pointer(String expression) {
        if (compile(expression) instanceof Pointer pointer) return pointer.pointer;
        throw new IllegalArgumentException("'" + expression + "' must be a JSON Pointer (/a/b) here: the value is written back in place");
    }

    /** The value found, or a MissingNode. */
    public abstract JsonNode find(JsonNode root);

    @Override
    public String toString() {
        return text;
    }

    private static final class Pointer extends PayloadPath {
        private final JsonPointer pointer;

        Pointer(String text, JsonPointer pointer) {
            super(text);
            this.pointer = pointer;
        }

        @Override
        public JsonNode find(JsonNode root) {
            return root.at(pointer);
        }
    }

    private static final class Path extends PayloadPath {
        private final JsonPath path;

        Path(String text, JsonPath path) {
            super(text);
            this.path = path;
        }

        @Override
        public JsonNode find(JsonNode root) {
            Object found = path.read(root, JSON_PATH);
            if (!(found instanceof JsonNode node)) return MissingNode.getInstance();
            if (path.isDefinite()) return node;
            return node.isArray() && !node.isEmpty() ? node.get(0) : MissingNode.getInstance();
        }
    }
}
