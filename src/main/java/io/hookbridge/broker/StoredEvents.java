package io.hookbridge.broker;

import io.hookbridge.event.CanonicalEvent;

/**
 * Told of each event once the broker has committed it and its id is remembered (the event index). Called on a
 * publisher's thread, between a batch's commit and the answers to its webhooks: it must only queue.
 */
public interface StoredEvents {

    /**
     * @param json the event as the broker stores it (UTF-8)
     * @param receivedAt when the broker took it, as {@link EventMessages#RECEIVED} carries it
     */
    void stored(CanonicalEvent event, byte[] json, long receivedAt);
}
