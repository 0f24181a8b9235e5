package io.hookbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.HdrHistogram.Histogram;

/**
 * The end-to-end ledger: which requests were accepted (and when they were due), and when each delivery of them
 * reached the local receiver. The receiver is a JDK HttpServer on loopback with a thread pool, answering 204 at
 * once: {@code /ce} for the cloudevents subscription, {@code /bridge} for the bridged one.
 */
final class EndToEnd implements LoadRunner.Listener, AutoCloseable {

    /** Sequence-indexed longs, allocated in chunks as sequence numbers grow. */
    static final class LongChunks {
        private static final int SHIFT = 16;
        private static final int CHUNK = 1 << SHIFT;
        private final AtomicLongArray[] chunks = new AtomicLongArray[1 << 14];

        private AtomicLongArray chunk(long i, boolean create) {
            int c = (int) (i >>> SHIFT);
            if (c >= chunks.length) throw new IllegalArgumentException("sequence " + i + " out of range");
            AtomicLongArray a = chunks[c];
            if (a == null && create) {
                synchronized (this) {
                    a = chunks[c];
                    if (a == null) chunks[c] = a = new AtomicLongArray(CHUNK);
                }
            }
            return a;
        }

        long get(long i) {
            AtomicLongArray a = chunk(i, false);
            return a == null ? 0 : a.get((int) (i & (CHUNK - 1)));
        }

        void set(long i, long v) {
            chunk(i, true).set((int) (i & (CHUNK - 1)), v);
        }

        /** Sets the value if unset; false if it was set already. */
        boolean setIfUnset(long i, long v) {
            return chunk(i, true).compareAndSet((int) (i & (CHUNK - 1)), 0, v);
        }
    }

    private final Workload workload;
    /** due time (nanoTime, never 0) of each accepted request */
    final LongChunks acceptedDue = new LongChunks();
    final LongChunks ceAt = new LongChunks();
    final LongChunks bridgeAt = new LongChunks();
    final LongAdder accepted = new LongAdder();
    final LongAdder bridgeExpected = new LongAdder();
    final LongAdder ceReceived = new LongAdder();
    final LongAdder bridgeReceived = new LongAdder();
    final LongAdder ceRepeats = new LongAdder();
    final LongAdder bridgeRepeats = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder ceWithoutWebhookId = new LongAdder();
    volatile long maxSeq = -1;

    private final HttpServer server;
    private final ExecutorService pool;

    EndToEnd(Workload workload, int port, int threads) throws IOException {
        this.workload = workload;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/ce", ex -> receive(ex, true));
        server.createContext("/bridge", ex -> receive(ex, false));
        server.start();
    }

    private void receive(HttpExchange ex, boolean ce) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long now = System.nanoTime();
            long seq = workload.findSeq(body, body.length);
            if (seq < 0) {
                unmatched.increment();
            } else if (ce) {
                if (ex.getRequestHeaders().getFirst("webhook-id") == null) ceWithoutWebhookId.increment();
                if (ceAt.setIfUnset(seq, now)) ceReceived.increment(); else ceRepeats.increment();
            } else {
                if (bridgeAt.setIfUnset(seq, now)) bridgeReceived.increment(); else bridgeRepeats.increment();
            }
            ex.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void completed(long seq, Workload.Fixture fixture, LoadRunner.Outcome outcome, long scheduledNanos, long endNanos) {
        if (seq > maxSeq) {
            synchronized (this) {
                if (seq > maxSeq) maxSeq = seq;
            }
        }
        if (outcome != LoadRunner.Outcome.OK) return;
        acceptedDue.set(seq, scheduledNanos == 0 ? 1 : scheduledNanos);
        accepted.increment();
        if (fixture.bridged()) bridgeExpected.increment();
    }

    long delivered() {
        return ceReceived.sum() + bridgeReceived.sum();
    }

    boolean caughtUp() {
        return ceReceived.sum() >= accepted.sum() && bridgeReceived.sum() >= bridgeExpected.sum();
    }

    /**
     * The result of waiting for the deliveries to catch up. {@code throughput} is the rate at which the first 90% of
     * the cloudevents backlog was delivered (a throughput, unlike the whole drain, whose end is one delivery's
     * latency); NaN when the backlog was too small (under 200 events) to tell.
     */
    record Drain(double seconds, boolean complete, long backlog, long ceDelivered, long deliveries, double throughput) {
        double cePerSecond() {
            return seconds > 0 ? ceDelivered / seconds : Double.NaN;
        }

        double deliveriesPerSecond() {
            return seconds > 0 ? deliveries / seconds : Double.NaN;
        }
    }

    /** Deliveries to /ce that arrived in [from, to). */
    long ceDeliveredBetween(long from, long to) {
        long n = 0;
        for (long seq = 0; seq <= maxSeq; seq++) {
            long c = ceAt.get(seq);
            if (c >= from && c < to) n++;
        }
        return n;
    }

    /** Waits until every accepted event has been delivered (or the timeout, or 30 s without any progress). */
    Drain drain(double timeoutSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long ce0 = ceReceived.sum();
        long all0 = delivered();
        long backlog = accepted.sum() - ce0;
        long t90 = 0;
        long deadline = start + (long) (timeoutSeconds * 1e9);
        long lastProgress = start;
        long last = all0;
        long lastChange = start;
        while (!caughtUp() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (t90 == 0 && backlog > 0 && accepted.sum() - ceReceived.sum() <= backlog / 10) t90 = now;
            long d = delivered();
            if (d != last) {
                last = d;
                lastChange = now;
            }
            if (now - lastChange > 30_000_000_000L) break;
            if (now - lastProgress > 2_000_000_000L) {
                lastProgress = now;
                System.err.printf("  draining: %d/%d cloudevents, %d/%d bridged delivered%n",
                        ceReceived.sum(), accepted.sum(), bridgeReceived.sum(), bridgeExpected.sum());
            }
        }
        // the drain ends at the last delivery, not at the poll that noticed it
        long end = caughtUp() ? Math.min(System.nanoTime(), lastChange) : System.nanoTime();
        if (end <= start) end = System.nanoTime();
        if (t90 == 0 && caughtUp()) t90 = end;
        double throughput = backlog >= 200 && t90 > start ? 0.9 * backlog / ((t90 - start) / 1e9) : Double.NaN;
        return new Drain((end - start) / 1e9, caughtUp(), backlog, ceReceived.sum() - ce0, delivered() - all0, throughput);
    }

    /** Post-to-receipt latencies of the events due in [from, to), and the receipts that happened in [from, to). */
    void windowFigures(long from, long to, Props props, String prefix) {
        Histogram all = new Histogram(1, 3_600_000_000L, 3);
        Histogram ce = new Histogram(1, 3_600_000_000L, 3);
        Histogram bridge = new Histogram(1, 3_600_000_000L, 3);
        long dueInWindow = 0, ceMissing = 0, bridgeMissing = 0;
        long ceInWindow = 0, bridgeInWindow = 0;
        for (long seq = 0; seq <= maxSeq; seq++) {
            long c = ceAt.get(seq), b = bridgeAt.get(seq);
            if (c >= from && c < to) ceInWindow++;
            if (b >= from && b < to) bridgeInWindow++;
            long due = acceptedDue.get(seq);
            if (due == 0 || due < from || due >= to) continue;
            dueInWindow++;
            if (c != 0) {
                long micros = Math.max(1, (c - due) / 1000);
                ce.recordValue(Math.min(micros, 3_600_000_000L));
                all.recordValue(Math.min(micros, 3_600_000_000L));
            } else {
                ceMissing++;
            }
            if (workload.fixture(seq).bridged()) {
                if (b != 0) {
                    long micros = Math.max(1, (b - due) / 1000);
                    bridge.recordValue(Math.min(micros, 3_600_000_000L));
                    all.recordValue(Math.min(micros, 3_600_000_000L));
                } else {
                    bridgeMissing++;
                }
            }
        }
        double seconds = (to - from) / 1e9;
        props.put(prefix + ".window_seconds", seconds);
        props.put(prefix + ".accepted_in_window", dueInWindow);
        props.put(prefix + ".delivered_per_s", (ceInWindow + bridgeInWindow) / seconds);
        props.put(prefix + ".ce_delivered_per_s", ceInWindow / seconds);
        props.put(prefix + ".bridge_delivered_per_s", bridgeInWindow / seconds);
        props.put(prefix + ".window_ce_missing", ceMissing);
        props.put(prefix + ".window_bridge_missing", bridgeMissing);
        histogram(props, prefix + ".lat", all);
        histogram(props, prefix + ".ce_lat", ce);
        histogram(props, prefix + ".bridge_lat", bridge);
    }

    private static void histogram(Props props, String prefix, Histogram h) {
        props.put(prefix + ".count", h.getTotalCount());
        if (h.getTotalCount() == 0) return;
        props.put(prefix + ".p50_ms", h.getValueAtPercentile(50) / 1000.0);
        props.put(prefix + ".p90_ms", h.getValueAtPercentile(90) / 1000.0);
        props.put(prefix + ".p99_ms", h.getValueAtPercentile(99) / 1000.0);
        props.put(prefix + ".p999_ms", h.getValueAtPercentile(99.9) / 1000.0);
        props.put(prefix + ".max_ms", h.getMaxValue() / 1000.0);
    }

    /** The whole run's ledger: every accepted event delivered once to /ce, and once to /bridge if SpaceOS has a name for it. */
    void ledger(Props props, String prefix) {
        long ceMissing = 0, bridgeMissing = 0, bridgeUnexpected = 0, deliveredForUnaccepted = 0;
        StringBuilder missingExamples = new StringBuilder();
        for (long seq = 0; seq <= maxSeq; seq++) {
            boolean acc = acceptedDue.get(seq) != 0;
            boolean bridged = workload.fixture(seq).bridged();
            long c = ceAt.get(seq), b = bridgeAt.get(seq);
            if (!acc) {
                if (c != 0 || b != 0) deliveredForUnaccepted++;
                continue;
            }
            if (c == 0) {
                ceMissing++;
                if (ceMissing <= 5) missingExamples.append("ce:").append(seq).append('(').append(workload.fixture(seq).file()).append(") ");
            }
            if (bridged && b == 0) {
                bridgeMissing++;
                if (bridgeMissing <= 5) missingExamples.append("bridge:").append(seq).append('(').append(workload.fixture(seq).file()).append(") ");
            }
            if (!bridged && b != 0) bridgeUnexpected++;
        }
        props.put(prefix + ".ledger.accepted", accepted.sum());
        props.put(prefix + ".ledger.ce_expected", accepted.sum());
        props.put(prefix + ".ledger.ce_delivered", ceReceived.sum());
        props.put(prefix + ".ledger.ce_missing", ceMissing);
        props.put(prefix + ".ledger.ce_repeats", ceRepeats.sum());
        props.put(prefix + ".ledger.ce_without_webhook_id", ceWithoutWebhookId.sum());
        props.put(prefix + ".ledger.bridge_expected", bridgeExpected.sum());
        props.put(prefix + ".ledger.bridge_delivered", bridgeReceived.sum());
        props.put(prefix + ".ledger.bridge_missing", bridgeMissing);
        props.put(prefix + ".ledger.bridge_unexpected", bridgeUnexpected);
        props.put(prefix + ".ledger.bridge_repeats", bridgeRepeats.sum());
        props.put(prefix + ".ledger.unmatched_receipts", unmatched.sum());
        props.put(prefix + ".ledger.delivered_but_not_accepted", deliveredForUnaccepted);
        props.put(prefix + ".ledger.missing_examples", missingExamples.toString().trim());
        props.put(prefix + ".ledger.balanced", ceMissing == 0 && bridgeMissing == 0 && bridgeUnexpected == 0
                && deliveredForUnaccepted == 0 && unmatched.sum() == 0 ? "true" : "false");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
