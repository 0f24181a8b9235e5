package io.hookbridge.delivery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hookbridge.source.attendee.AttendeeRenderer;
import io.hookbridge.source.iotum.IotumRenderer;
import io.hookbridge.source.pencil.PencilRenderer;
import io.hookbridge.source.recordings.RecordingsRenderer;
import io.hookbridge.source.spaceos.SpaceosRenderer;

/** The renderers of every subscription {@code format}, looked up by name. */
public final class EventRenderers {

    /** The format a subscription uses when it names none. */
    public static final String DEFAULT_FORMAT = CloudEventsRenderer.FORMAT;

    private EventRenderers() { }

    /** Built on first use: the vendor renderers read their source definitions from the class path. */
    private static final class Registry {
        static final Map<String, EventRenderer> BY_FORMAT = build();

        private static Map<String, EventRenderer> build() {
            Map<String, EventRenderer> byFormat = new LinkedHashMap<>();
            for (EventRenderer renderer : List.of(new CloudEventsRenderer(), new PencilRenderer(), new IotumRenderer(),
                    new RecordingsRenderer(), new AttendeeRenderer(), new SpaceosRenderer())) {
                if (byFormat.put(renderer.format(), renderer) != null) {
                    throw new IllegalStateException("two renderers for format '" + renderer.format() + "'");
                }
            }
            return Collections.unmodifiableMap(byFormat);
        }
    }

    /** @throws IllegalArgumentException for an unknown format, listing the known ones */
    public static EventRenderer forFormat(String format) {
        EventRenderer renderer = format == null ? null : Registry.BY_FORMAT.get(format);
        if (renderer == null) {
            throw new IllegalArgumentException("unknown format '" + format + "' (known: " + String.join(", ", formats()) + ")");
        }
        return renderer;
    }

    /** Every known format, cloudevents first, then the vendors. */
    public static Set<String> formats() {
        return Registry.BY_FORMAT.keySet();
    }
}
