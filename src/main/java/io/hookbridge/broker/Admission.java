package io.hookbridge.broker;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Decides, for a whole group commit at once, which events are new: the publisher stores only those, and
 * answers the others as duplicates. Implemented by the de-duplication store.
 */
public interface Admission {

    /** @return the keys not seen before, now remembered (in the order given) */
    Set<String> admit(List<String> keys);

    /** Forgets keys whose events could not be stored after all, so a retry is taken. */
    void revoke(Collection<String> keys);
}
