package io.hookbridge.vendor.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.event.Timestamps;
import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.TypeTable;
import io.hookbridge.vendor.VendorDefinition;
import io.hookbridge.vendor.auth.AuthScheme;

/**
 * A source ready to take webhooks: its definition, verifier and secrets. Verifies, then normalizes a raw
 * body into the canonical event by interpreting the definition.
 */
public final class WebhookSource {

    /** Longest vendor event name, event id or subject taken; longer ones are refused rather than carried around. */
    static final int MAX_NAME_LENGTH = 256;

    private final VendorDefinition definition;
    private final VendorDefinition.Inbound inbound;
    private final AuthScheme auth;
    private final List<String> secrets;

    /** @param auth the definition's scheme (see io.hookbridge.vendor.VendorCatalog) */
    public WebhookSource(VendorDefinition definition, AuthScheme auth, List<String> secrets) {
        this.definition = definition;
        this.inbound = definition.inbound;
        this.auth = auth;
        this.secrets = List.copyOf(secrets);
    }

    public String id() { return definition.id; }

    public VendorDefinition definition() { return definition; }

    public AuthScheme auth() { return auth; }

    /** True when no secret is configured, so every request is refused. */
    public boolean secretsEmpty() { return secrets.isEmpty(); }

    /**
     * Fails closed: no secret configured, no credential, or no secret that verifies, and the request is refused.
     *
     * @param header looks a request header up by name, case-insensitively
     */
    public void verify(byte[] body, Function<String, String> header) {
        if (secrets.isEmpty()) {
            throw WebhookException.unauthorized("no secret is configured for source '" + id()
                    + "' (hookbridge.sources." + id() + ".secret), so every request is refused");
        }
        auth.verify(body, header, secrets, Instant.now());
    }

    /** Turns a verified raw body into the canonical event; a body that does not fit answers 400 saying what and where. */
    public CanonicalEvent normalize(byte[] body, Instant receivedAt) {
        JsonNode root = parse(body, "body");
        if (!root.isObject()) {
            throw WebhookException.invalid("body must be a JSON object, found " + kind(root));
        }
        ObjectNode payload = (ObjectNode) root;
        VendorDefinition.Shape shape = shapeOf(payload);
        for (Map.Entry<String, String> required : shape.required.entrySet()) {
            checkKind(payload, required.getKey(), required.getValue());
        }
        for (String pointer : inbound.decode) {
            decodeInPlace(payload, pointer);
        }
        String vendorEvent = eventName(payload, shape);
        String qualifier = shape.qualifier == null ? null : scalarText(at(payload, shape.qualifier));
        String type = TypeTable.canonicalType(definition, vendorEvent, qualifier);
        String id = eventId(payload, body);
        String subject = firstScalar(payload, inbound.subject);
        Instant time = eventTime(payload, receivedAt);

        ObjectNode data = EventJson.mapper().createObjectNode();
        if (subject != null) data.put("sessionId", subject);
        for (Map.Entry<String, List<String>> field : inbound.fields.entrySet()) {
            JsonNode value = first(payload, field.getValue());
            if (value != null) put(data, field.getKey(), value);
        }
        ObjectNode vendor = data.putObject("vendor");
        vendor.put("source", id());
        vendor.put("event", vendorEvent);
        vendor.set("payload", payload);
        return new CanonicalEvent(id, id(), type, subject, time, vendorEvent, data);
    }

    private VendorDefinition.Shape shapeOf(ObjectNode payload) {
        for (VendorDefinition.Shape shape : inbound.shapes) {
            if (shape.when == null || present(at(payload, shape.when))) return shape;
        }
        StringBuilder expected = new StringBuilder();
        for (VendorDefinition.Shape shape : inbound.shapes) {
            if (expected.length() > 0) expected.append(" or ");
            expected.append(shape.when);
        }
        throw WebhookException.invalid("body is not a " + id() + " webhook: expected a field at " + expected);
    }

    private static void checkKind(ObjectNode payload, String pointer, String kind) {
        JsonNode value = at(payload, pointer);
        if (!present(value)) {
            throw WebhookException.invalid(pointer + " is required");
        }
        boolean ok = switch (kind) {
            case "string" -> value.isTextual() && !value.asText().isEmpty();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "number" -> value.isNumber();
            case "scalar" -> (value.isTextual() && !value.asText().isEmpty()) || value.isNumber();
            case "any" -> true;
            default -> throw new IllegalStateException("unknown kind " + kind);
        };
        if (!ok) {
            throw WebhookException.invalid(pointer + " must be " + article(kind) + ", found " + kind(value));
        }
    }

    private static void decodeInPlace(ObjectNode payload, String pointer) {
        JsonNode value = at(payload, pointer);
        if (!present(value)) return;
        if (!value.isTextual()) {
            throw WebhookException.invalid(pointer + " must be a string holding JSON, found " + kind(value));
        }
        JsonNode decoded = parse(value.asText().getBytes(StandardCharsets.UTF_8), pointer + " (stringified JSON)");
        if (!decoded.isObject()) {
            throw WebhookException.invalid(pointer + " must hold a JSON object, found " + kind(decoded));
        }
        JsonPointer at = PayloadPath.pointer(pointer);
        JsonNode parent = payload.at(at.head());
        ((ObjectNode) parent).set(at.last().getMatchingProperty(), decoded);
    }

    private String eventName(ObjectNode payload, VendorDefinition.Shape shape) {
        if (shape.event.startsWith("=")) return shape.event.substring(1);
        JsonNode value = at(payload, shape.event);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw WebhookException.invalid(shape.event + " (the event name) must be a non-empty string, found " + kind(value));
        }
        return bounded(shape.event, "event name", value.asText());
    }

    private String eventId(ObjectNode payload, byte[] body) {
        if (VendorDefinition.BODY_SHA256.equals(inbound.eventId)) {
            return sha256Hex(id() + ":", body);
        }
        JsonNode value = at(payload, inbound.eventId);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw WebhookException.invalid(inbound.eventId + " (the event id) must be a non-empty string, found " + kind(value));
        }
        return bounded(inbound.eventId, "event id", value.asText());
    }

    private Instant eventTime(ObjectNode payload, Instant receivedAt) {
        for (String pointer : inbound.time) {
            JsonNode value = at(payload, pointer);
            if (!present(value)) continue;
            Instant time = Timestamps.parse(value);
            if (time == null) {
                throw WebhookException.invalid(pointer + " must be an ISO 8601 timestamp or epoch seconds/milliseconds, found " + kind(value));
            }
            return time;
        }
        return receivedAt;
    }

    private static String firstScalar(ObjectNode payload, List<String> pointers) {
        for (String pointer : pointers) {
            String text = scalarText(at(payload, pointer));
            if (text != null) return bounded(pointer, "subject", text);
        }
        return null;
    }

    private static String bounded(String pointer, String what, String text) {
        if (text.length() > MAX_NAME_LENGTH) {
            throw WebhookException.invalid(pointer + " (the " + what + ") is " + text.length()
                    + " characters long; at most " + MAX_NAME_LENGTH + " are accepted");
        }
        return text;
    }

    private static JsonNode first(ObjectNode payload, List<String> pointers) {
        for (String pointer : pointers) {
            JsonNode value = at(payload, pointer);
            if (present(value)) return value;
        }
        return null;
    }

    private static String scalarText(JsonNode value) {
        if (value == null) return null;
        if (value.isTextual() && !value.asText().isEmpty()) return value.asText();
        if (value.isIntegralNumber()) return value.bigIntegerValue().toString();
        if (value.isNumber()) return value.decimalValue().toPlainString();
        return null;
    }

    private static void put(ObjectNode data, String dottedPath, JsonNode value) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode target = data;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = target.get(parts[i]);
            target = child instanceof ObjectNode object ? object : target.putObject(parts[i]);
        }
        target.set(parts[parts.length - 1], value);
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }

    static JsonNode parse(byte[] json, String what) {
        requireUtf8(json, what);
        try {
            return EventJson.mapper().readTree(json);
        } catch (StreamConstraintsException e) {
            throw WebhookException.invalid(what + " is nested too deeply or too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw WebhookException.invalid(what + " is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw WebhookException.invalid(what + " could not be read: " + firstLine(e.getMessage()));
        }
    }

    /** Strict UTF-8: Jackson alone lets some invalid sequences (encoded surrogates, bytes in field names) through. */
    private static void requireUtf8(byte[] bytes, String what) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.min(bytes.length, 8192));
        while (true) {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw WebhookException.invalid(what + " is not valid UTF-8 at byte " + in.position());
            }
            if (result.isUnderflow()) break;
            out.clear();
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String kind(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        JsonNodeType type = value.getNodeType();
        return switch (type) {
            case STRING -> value.asText().isEmpty() ? "an empty string" : "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> type.name().toLowerCase();
        };
    }

    private static String article(String kind) {
        return switch (kind) {
            case "object", "array" -> "an " + kind;
            case "scalar" -> "a string or a number";
            default -> "a " + kind;
        };
    }

    static String sha256Hex(String prefix, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static JsonNode at(JsonNode node, String expression) {
        return PayloadPath.compile(expression).find(node);
    }
}
