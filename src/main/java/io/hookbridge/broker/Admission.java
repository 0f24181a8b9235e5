package io.hookbridge.broker;

import java.util.List;
import java.util.Set;

/**
 * Decides, for a whole group commit at once, which events are new: the publisher stores only those, and
 * answers the others as duplicates. Implemented by the de-duplication store.
 * <p>
 * A key counts as seen only once its event is on the broker: {@link #reserve} holds the new keys while the
 * publisher commits their events, {@link Reservation#confirm} remembers them after the broker's commit, and
 * {@link Reservation#release} lets them go when it failed. A process that dies in between has remembered
 * nothing, so the vendor's retry is stored (perhaps a second time, never not at all).
 */
public interface Admission {

    /** @return the keys not seen before, held for this commit (in the order given, each once) */
    Reservation reserve(List<String> keys);

    /** The new keys of one group commit, held until its broker transaction has an outcome. */
    interface Reservation {

        /** The keys not seen before. */
        Set<String> fresh();

        /** Their events are on the broker: the keys are remembered for the retention. */
        void confirm();

        /** Their events were not stored: the keys are free for a retry. */
        void release();
    }
}
