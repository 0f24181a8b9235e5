package io.hookbridge.vendor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A vendor's table of event names to canonical types, read forwards (inbound) and backwards (outbound). */
public final class TypeTable {

    public static final String VENDOR_PREFIX = "vendor.";
    public static final String ANY_QUALIFIER = "*";

    /** A vendor's name for a canonical type: the event name and, where the vendor refines it, the qualifier. */
    public record VendorEvent(String event, String qualifier) { }

    private TypeTable() { }

    /** The canonical type, or {@code vendor.<source>.<event>} for an event the table does not map. */
    public static String canonicalType(VendorDefinition source, String vendorEvent, String qualifier) {
        Object entry = source.types.get(vendorEvent);
        if (entry instanceof String type) return type;
        if (entry instanceof Map<?, ?> byQualifier) {
            Object type = qualifier == null ? null : byQualifier.get(qualifier);
            if (type == null) type = byQualifier.get(ANY_QUALIFIER);
            if (type instanceof String mapped) return mapped;
        }
        return VENDOR_PREFIX + source.id + "." + vendorEvent;
    }

    /** Canonical type → vendor name, the first vendor event naming a type winning (so the more specific, listed first, is chosen). */
    public static Map<String, VendorEvent> reverse(VendorDefinition definition) {
        Map<String, VendorEvent> reverse = new LinkedHashMap<>();
        definition.types.forEach((event, entry) -> {
            if (entry instanceof String type) {
                reverse.putIfAbsent(type, new VendorEvent(event, null));
            } else if (entry instanceof Map<?, ?> byQualifier) {
                byQualifier.forEach((qualifier, type) -> reverse.putIfAbsent((String) type,
                        new VendorEvent(event, ANY_QUALIFIER.equals(qualifier) ? null : (String) qualifier)));
            }
        });
        return Collections.unmodifiableMap(reverse);
    }
}
