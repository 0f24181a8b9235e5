package io.hookbridge.ops;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only switch that halts the JVM (no shutdown hooks, as {@code kill -9} would) when the process reaches a
 * named point between two durable steps, so a test can prove that a crash there loses nothing. Set with the system
 * property {@value #PROPERTY}{@code =<point>} or {@code <point>:<n>} (halt on the n-th time the point is reached),
 * read once at start; unset, every {@link #reach} is a comparison with null.
 */
public final class CrashPoints {

    public static final String PROPERTY = "hookbridge.crash-point";
    /** The exit status of a halt here, so a test can tell it from any other end. */
    public static final int HALT_STATUS = 86;

    /** Ingest: the batch's new ids are reserved (rows inserted, uncommitted, with a shared database); nothing stored yet. */
    public static final String AFTER_RESERVE = "ingest-after-reserve";
    /** Ingest: the broker committed the batch; its ids are not remembered yet. */
    public static final String AFTER_BROKER_COMMIT = "ingest-after-broker-commit";
    /** Ingest: stored and remembered; the webhooks are not answered yet. */
    public static final String AFTER_CONFIRM = "ingest-after-confirm";
    /** JMS publish: the event is stored; the consume of the published message is not committed yet. */
    public static final String PUBLISH_BEFORE_CONSUME_COMMIT = "publish-before-consume-commit";
    /** Delivery: the receiver answered 2xx; the event is not acknowledged on its queue yet. */
    public static final String DELIVERED_BEFORE_ACK = "delivery-before-ack";
    /** Delivery: the event is on the dead-letter queue; it is not acknowledged on its own queue yet. */
    public static final String DEAD_LETTERED_BEFORE_ACK = "dead-letter-before-ack";
    /** Replay: a batch of dead letters is sent back to the subscription's queue; the transaction is not committed. */
    public static final String REPLAY_BEFORE_COMMIT = "replay-before-commit";

    private static final String POINT;
    private static final int NTH;
    private static final AtomicInteger reached = new AtomicInteger();

    static {
        String setting = System.getProperty(PROPERTY);
        int colon = setting == null ? -1 : setting.lastIndexOf(':');
        POINT = colon < 0 ? setting : setting.substring(0, colon);
        NTH = colon < 0 ? 1 : Integer.parseInt(setting.substring(colon + 1));
    }

    private CrashPoints() { }

    public static void reach(String point) {
        if (POINT != null && POINT.equals(point) && reached.incrementAndGet() == NTH) {
            System.err.println("hookbridge: halting at crash point " + point + " (" + PROPERTY + ")");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
