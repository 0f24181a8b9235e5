package io.hookbridge.vendor.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.vendor.DefinitionException;
import io.hookbridge.vendor.TypeTable;
import io.hookbridge.vendor.TypeTable.VendorEvent;
import io.hookbridge.vendor.VendorDefinition;
import io.hookbridge.vendor.auth.AuthScheme;
import io.hookbridge.vendor.inbound.PayloadPath;

/**
 * A vendor's own webhook format, written from its definition alone:
 * <ul>
 *   <li>the vendor event name for a canonical type is the type table read backwards (the first entry naming a
 *       type wins, so the more specific name listed first is chosen);</li>
 *   <li>the body is the first {@code outbound.bodies} template naming that event ({@link BodyTemplate});</li>
 *   <li>fields listed under {@code inbound.decode} (iotum's stringified {@code payload}) are sent as JSON strings;</li>
 *   <li>the {@code auth} scheme signs it with the primary (first) secret; no secret, no header.</li>
 * </ul>
 * An event whose source is this vendor is passed through with its original payload, re-signed; a
 * {@code vendor.<other>.<x>} event, or a canonical type the vendor has no name for, is skipped (Optional.empty()).
 */
public final class TemplateFormat {

    public static final String CONTENT_TYPE = "application/json";
    /** The extra field that carries where a bridged event came from: {id, source, event, type, payload}. */
    public static final String ORIGIN_FIELD = "hookbridge";

    private record Template(List<String> events, BodyTemplate body) {
        boolean writes(VendorEvent name) {
            return events.isEmpty() || events.contains(name.event())
                    || (name.qualifier() != null && events.contains(name.event() + "/" + name.qualifier()));
        }
    }

    private final String id;
    private final AuthScheme auth;
    private final Map<String, VendorEvent> names;
    private final Map<String, BodyTemplate> bodyByType = new LinkedHashMap<>();
    private final List<JsonPointer> stringified = new ArrayList<>();

    /** @throws DefinitionException at the part of the definition that cannot be used */
    public TemplateFormat(VendorDefinition definition, AuthScheme auth) {
        this.id = definition.id;
        this.auth = auth;
        this.names = TypeTable.reverse(definition);
        VendorDefinition.Outbound outbound = definition.outbound;
        if (outbound == null) throw new DefinitionException("", "vendor '" + id + "' has no outbound section");
        List<Template> templates = new ArrayList<>();
        for (int i = 0; i < outbound.bodies.size(); i++) {
            VendorDefinition.Body body = outbound.bodies.get(i);
            try {
                templates.add(new Template(List.copyOf(body.events), BodyTemplate.compile(body.body, outbound.tables)));
            } catch (DefinitionException e) {
                throw e.under("/outbound/bodies/" + i + "/body");
            }
        }
        names.forEach((type, name) -> {
            Template template = templates.stream().filter(t -> t.writes(name)).findFirst().orElseThrow(() -> new DefinitionException(
                    "/outbound/bodies", "no body template for " + name.event() + (name.qualifier() == null ? "" : "/" + name.qualifier())
                    + " (the vendor's name for " + type + "); add one naming it under events, or one without events"));
            bodyByType.put(type, template.body());
        });
        for (int i = 0; i < definition.inbound.decode.size(); i++) {
            try {
                stringified.add(PayloadPath.pointer(definition.inbound.decode.get(i)));
            } catch (IllegalArgumentException e) {
                throw new DefinitionException("/inbound/decode/" + i, e.getMessage());
            }
        }
    }

    /** The subscription {@code format} this writes: the vendor's id. */
    public String format() {
        return id;
    }

    /** Canonical type → this vendor's name for it, in the definition's order. */
    public Map<String, VendorEvent> vendorNames() {
        return names;
    }

    /** An event of this vendor is passed through; one of another is sent only under a name this vendor has. */
    public boolean expresses(String type, String sourceId) {
        return id.equals(sourceId) || hasNameFor(type);
    }

    private boolean hasNameFor(String type) {
        return !type.startsWith(TypeTable.VENDOR_PREFIX) && names.containsKey(type);
    }

    /**
     * @param secrets the subscription's active secrets (empty: sent unsigned); the first is the primary
     * @return the request to POST, or empty when this vendor has no name for the event
     */
    public Optional<OutboundRequest> render(CanonicalEvent event, List<String> secrets, Instant now) {
        ObjectNode body;
        JsonNode original = event.vendorPayload();
        if (id.equals(event.sourceId()) && original.isObject()) {
            body = original.deepCopy();
        } else {
            if (!hasNameFor(event.type())) return Optional.empty();
            body = bodyByType.get(event.type()).render(new BodyTemplate.Context(event, names.get(event.type())));
        }
        stringifyDecodedFields(body);
        byte[] wire = auth.wireBody(EventJson.write(body).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = secrets.isEmpty() ? Map.of() : auth.sign(wire, secrets, event.id(), now);
        return Optional.of(new OutboundRequest(wire, CONTENT_TYPE, headers));
    }

    /** Fields the vendor sends as JSON strings ({@code decode}) are turned back into strings. */
    private void stringifyDecodedFields(ObjectNode body) {
        for (JsonPointer pointer : stringified) {
            JsonNode value = body.at(pointer);
            if (!value.isContainerNode()) continue;
            JsonNode parent = body.at(pointer.head());
            if (parent instanceof ObjectNode object) object.put(pointer.last().getMatchingProperty(), EventJson.write(value));
        }
    }
}
