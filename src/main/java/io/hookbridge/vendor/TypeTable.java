package io.hookbridge.vendor;

import java.util.Map;

/** Reads a source's table of vendor event names to canonical types. */
public final class TypeTable {

    public static final String VENDOR_PREFIX = "vendor.";
    public static final String ANY_QUALIFIER = "*";

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
}
