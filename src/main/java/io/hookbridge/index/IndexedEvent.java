package io.hookbridge.index;

import java.time.Instant;

/**
 * One accepted event as the index keeps it: what it is filtered by, and the canonical event's JSON as the broker
 * carried it (so it can be shown, and delivered again).
 *
 * @param seq the index's own order of arrival; the list's cursor
 */
public record IndexedEvent(long seq, String id, String source, String type, String subject, Instant receivedAt, String json) { }
