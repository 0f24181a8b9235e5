package io.hookbridge.index;

import java.util.Locale;

/** Where an event stands with one subscription. */
public enum EventStatus {
    PENDING, DELIVERED, RETRYING, DEAD_LETTERED, SKIPPED;

    /** As the API writes it: {@code dead_lettered}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return null for an unknown name */
    public static EventStatus fromWire(String text) {
        for (EventStatus s : values()) if (s.wire().equals(text)) return s;
        return null;
    }
}
