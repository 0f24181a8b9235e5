package io.hookbridge.delivery;

import java.util.List;

/** Where every delivery attempt is written down, so an operator can ask what happened to an event. */
public interface AttemptLog {

    void record(DeliveryAttempt attempt);

    List<DeliveryAttempt> attemptsOf(String eventId);
}
