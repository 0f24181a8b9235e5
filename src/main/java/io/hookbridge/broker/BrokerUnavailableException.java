package io.hookbridge.broker;

/** The broker could not durably take an event: the caller must not acknowledge it. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message);
    }
}
