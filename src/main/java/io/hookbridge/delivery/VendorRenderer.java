package io.hookbridge.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.vendor.VendorDefinition;
import io.hookbridge.vendor.VendorCatalog;
import io.hookbridge.vendor.TypeTable;
import io.hookbridge.vendor.auth.Verifiers;
import io.hookbridge.vendor.attendee.AttendeeCanonicalJson;

/**
 * Renders canonical events in one vendor's own webhook format, driven by that vendor's source definition
 * ({@code io/hookbridge/source/<id>/source.yaml}) wherever the definition can say it:
 * <ul>
 *   <li>the vendor event name for a canonical type is the reverse of the definition's {@code types} table
 *       (the first entry naming a type wins, so the more specific name listed first is chosen);</li>
 *   <li>fields the definition lists under {@code decode} (iotum's stringified {@code payload}) are sent as
 *       JSON strings;</li>
 *   <li>authentication follows {@code auth} (scheme, header, prefix), the inverse of the inbound
 *       {@link io.hookbridge.vendor.auth.Verifier}, using the primary (first) secret; no secret, no header.</li>
 * </ul>
 * A subclass builds only the body of a mapped event ({@link #renderBody}). An event whose source is this
 * vendor is passed through with its original payload, re-signed; a {@code vendor.<other>.<x>} event, or a
 * canonical type the vendor has no name for, is skipped (Optional.empty()).
 */
public abstract class VendorRenderer implements EventRenderer {

    public static final String CONTENT_TYPE = "application/json";
    /** The extra field that carries where a bridged event came from: {id, source, event, type, payload}. */
    public static final String ORIGIN_FIELD = "hookbridge";

    /** A vendor's name for a canonical type: the event name and, where the vendor refines it, the qualifier. */
    public record VendorEvent(String event, String qualifier) { }

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = EventJson.mapper().getNodeFactory();

    private final VendorDefinition definition;
    private final Map<String, VendorEvent> names;

    protected VendorRenderer(VendorDefinition definition) {
        this.definition = definition;
        this.names = Collections.unmodifiableMap(reverse(definition));
    }

    /** The renderer of the source definition with this id found on the class path. */
    protected VendorRenderer(String sourceId) {
        this(Definitions.byId(sourceId));
    }

    @Override
    public final String format() {
        return definition.id;
    }

    public VendorDefinition definition() {
        return definition;
    }

    /** Canonical type → this vendor's name for it, in the definition's order. */
    public Map<String, VendorEvent> vendorNames() {
        return names;
    }

    /** The reverse of a definition's {@code types} table; the first vendor event naming a canonical type wins. */
    public static Map<String, VendorEvent> reverse(VendorDefinition definition) {
        Map<String, VendorEvent> reverse = new LinkedHashMap<>();
        definition.types.forEach((event, entry) -> {
            if (entry instanceof String type) {
                reverse.putIfAbsent(type, new VendorEvent(event, null));
            } else if (entry instanceof Map<?, ?> byQualifier) {
                byQualifier.forEach((qualifier, type) -> reverse.putIfAbsent((String) type,
                        new VendorEvent(event, TypeTable.ANY_QUALIFIER.equals(qualifier) ? null : (String) qualifier)));
            }
        });
        return reverse;
    }

    /** An event of this vendor is passed through; one of another is sent only under a name this vendor has. */
    @Override
    public final boolean expresses(String type, String sourceId) {
        return format().equals(sourceId) || hasNameFor(type);
    }

    private boolean hasNameFor(String type) {
        return !type.startsWith(TypeTable.VENDOR_PREFIX) && names.containsKey(type);
    }

    @Override
    public final Optional<OutboundRequest> render(CanonicalEvent event, List<String> secrets, Instant now) {
        ObjectNode body;
        JsonNode original = event.vendorPayload();
        if (format().equals(event.sourceId()) && original.isObject()) {
            body = original.deepCopy();
        } else {
            if (!hasNameFor(event.type())) return Optional.empty();
            body = renderBody(event, names.get(event.type()));
        }
        stringifyDecodedFields(body);
        byte[] wire = wireBody(body);
        Map<String, String> headers = new LinkedHashMap<>();
        if (!secrets.isEmpty()) {
            headers.put(definition.auth.header, definition.auth.prefix + credential(secrets.get(0), wire));
        }
        return Optional.of(new OutboundRequest(wire, CONTENT_TYPE, headers));
    }

    /** The vendor-shaped body of an event from another source that this vendor has a name for. */
    protected abstract ObjectNode renderBody(CanonicalEvent event, VendorEvent name);

    /** The bytes to send; compact JSON as Jackson writes it unless a vendor needs otherwise. */
    protected byte[] wireBody(ObjectNode body) {
        return EventJson.write(body).getBytes(StandardCharsets.UTF_8);
    }

    /** The authentication header's value after the definition's prefix, the inverse of the inbound verifier. */
    private String credential(String secret, byte[] wire) {
        return switch (definition.auth.scheme) {
            case "bearer" -> "Bearer " + secret;
            case "token" -> secret;
            case "hmac-sha256-hex" -> HexFormat.of().formatHex(Verifiers.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), wire));
            case "attendee" -> {
                try {
                    yield AttendeeCanonicalJson.sign(secret, wire);
                } catch (IOException e) {
                    throw new IllegalStateException("a rendered " + format() + " body could not be canonicalized", e);
                }
            }
            default -> throw new IllegalStateException("no signer for auth scheme '" + definition.auth.scheme + "' of " + format());
        };
    }

    /** Fields the vendor sends as JSON strings ({@code decode} pointers) are turned back into strings. */
    private void stringifyDecodedFields(ObjectNode body) {
        for (String pointer : definition.decode) {
            JsonNode value = body.at(pointer);
            if (!value.isContainerNode()) continue;
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = body.at(pointer.substring(0, slash));
            if (parent instanceof ObjectNode object) object.put(pointer.substring(slash + 1), EventJson.write(value));
        }
    }

    // ------------------------------------------------------------------------------------ helpers for subclasses

    /** A new JSON object. */
    protected static ObjectNode object() {
        return NODES.objectNode();
    }

    /** ISO 8601 UTC with at least milliseconds ({@code 2025-01-15T10:00:00.000Z}), more digits only when the time has them. */
    protected static String isoTime(Instant time) {
        return time.getNano() % 1_000_000 == 0 ? MILLIS.format(time) : time.toString();
    }

    /** A canonical data field by dotted path ({@code participant.id}); null when absent or JSON null. */
    protected static JsonNode field(CanonicalEvent event, String dottedPath) {
        JsonNode node = event.data();
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() || node.isNull() ? null : node;
    }

    /** The first of the dotted paths that is present, else null. */
    protected static JsonNode firstField(CanonicalEvent event, String... dottedPaths) {
        for (String path : dottedPaths) {
            JsonNode value = field(event, path);
            if (value != null) return value;
        }
        return null;
    }

    /** A scalar field as text (numbers in plain notation); null when absent or not a scalar. */
    protected static String text(CanonicalEvent event, String... dottedPaths) {
        return text(firstField(event, dottedPaths));
    }

    protected static String text(JsonNode value) {
        if (value == null) return null;
        if (value.isTextual()) return value.asText().isEmpty() ? null : value.asText();
        if (value.isIntegralNumber()) return value.bigIntegerValue().toString();
        if (value.isNumber()) return value.decimalValue().toPlainString();
        return null;
    }

    /** Text as a JSON string, or JSON null. */
    protected static JsonNode string(String text) {
        return text == null ? NODES.nullNode() : NODES.textNode(text);
    }

    /**
     * An id for a vendor whose ids are numbers: a canonical decimal integer ({@code 1258835}, no sign or leading
     * zero, at most 15 digits so JavaScript receivers read it exactly) becomes a JSON number; anything else stays
     * a string, null stays null. The text round-trips either way.
     */
    protected static JsonNode numericId(String text) {
        if (text != null && text.matches("0|[1-9][0-9]{0,14}")) return NODES.numberNode(Long.parseLong(text));
        return string(text);
    }

    /** Epoch milliseconds of an instant. */
    protected static long epochMillis(Instant time) {
        return time.toEpochMilli();
    }

    /** {@code {id, source, event, type, payload}}: the canonical id and type, and the original vendor event and payload. */
    protected static ObjectNode origin(CanonicalEvent event) {
        ObjectNode origin = object();
        origin.put("id", event.id());
        origin.put("source", event.sourceId());
        origin.put("event", event.vendorEvent());
        origin.put("type", event.type());
        JsonNode payload = event.vendorPayload();
        if (!payload.isMissingNode()) origin.set("payload", payload.deepCopy());
        return origin;
    }

    /** The source definitions on the class path, read once. */
    private static final class Definitions {
        static final Map<String, VendorDefinition> BY_ID = load();

        private static Map<String, VendorDefinition> load() {
            Map<String, VendorDefinition> byId = new LinkedHashMap<>();
            try {
                for (VendorDefinition definition : VendorCatalog.loadDefinitions()) byId.put(definition.id, definition);
            } catch (IOException e) {
                throw new UncheckedIOException("source definitions could not be read", e);
            }
            return byId;
        }

        static VendorDefinition byId(String id) {
            VendorDefinition definition = BY_ID.get(id);
            if (definition == null) {
                throw new IllegalStateException("no source definition io/hookbridge/source/" + id + "/source.yaml on the class path");
            }
            return definition;
        }
    }
}
