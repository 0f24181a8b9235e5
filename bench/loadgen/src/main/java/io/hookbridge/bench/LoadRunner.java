package io.hookbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives N connections against the gateway, closed loop (each connection sends again as soon as it has its
 * answer: the capacity at that concurrency) or open loop (requests scheduled at a fixed rate, at most N in
 * flight; latency measured from each request's scheduled send time, so a stalled server or client cannot hide
 * the wait — the wrk2 model, with coordinated omission corrected).
 */
final class LoadRunner {

    enum Outcome { OK, DUPLICATE, REJECTED, ERROR }

    /** Told about every answer (for the end-to-end ledger). */
    interface Listener {
        void completed(long seq, Workload.Fixture fixture, Outcome outcome, long scheduledNanos, long endNanos);
    }

    /** Counts and latencies of the requests that completed inside one window. */
    static final class Window {
        final String name;
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder duplicate = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final Recorder latencyMicros = new Recorder(1, 3_600_000_000L, 3);
        volatile long startNanos;
        volatile long endNanos;
        long notSent; // open loop: scheduled inside the window but never sent (client could not keep up)
        double offeredRate; // open loop only
        double stealPct = Double.NaN; // closed loop's measured window: the machine's CPU steal over it
        double idlePct = Double.NaN; // ... and the CPU time nothing wanted
        private Histogram histogram;

        Window(String name) {
            this.name = name;
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double okPerSecond() {
            return ok.sum() / seconds();
        }

        synchronized Histogram histogram() {
            if (histogram == null) histogram = latencyMicros.getIntervalHistogram();
            return histogram;
        }

        void write(Props props, String prefix) {
            Histogram h = histogram();
            props.put(prefix + ".seconds", seconds());
            props.put(prefix + ".sent", sent.sum());
            props.put(prefix + ".ok", ok.sum());
            props.put(prefix + ".ok_per_s", okPerSecond());
            props.put(prefix + ".duplicate", duplicate.sum());
            props.put(prefix + ".rejected", rejected.sum());
            props.put(prefix + ".errors", errors.sum());
            props.put(prefix + ".not_sent", notSent);
            if (offeredRate > 0) props.put(prefix + ".offered_per_s", offeredRate);
            if (!Double.isNaN(stealPct)) props.put(prefix + ".steal_pct", stealPct);
            if (!Double.isNaN(idlePct)) props.put(prefix + ".idle_pct", idlePct);
            Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
            props.put(prefix + ".statuses", byStatus.toString());
            Map<String, Long> kinds = new TreeMap<>();
            errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            props.put(prefix + ".error_kinds", kinds.toString());
            props.put(prefix + ".lat_count", h.getTotalCount());
            props.put(prefix + ".p50_ms", h.getValueAtPercentile(50) / 1000.0);
            props.put(prefix + ".p90_ms", h.getValueAtPercentile(90) / 1000.0);
            props.put(prefix + ".p99_ms", h.getValueAtPercentile(99) / 1000.0);
            props.put(prefix + ".p999_ms", h.getValueAtPercentile(99.9) / 1000.0);
            props.put(prefix + ".max_ms", h.getMaxValue() / 1000.0);
            props.put(prefix + ".mean_ms", h.getMean() / 1000.0);
        }

        String summary() {
            Histogram h = histogram();
            return String.format("%s: %.1f s, sent %d, ok %d (%.0f/s), dup %d, rejected %d %s, errors %d %s, not sent %d, "
                            + "latency p50 %.2f ms p99 %.2f ms max %.2f ms",
                    name, seconds(), sent.sum(), ok.sum(), okPerSecond(), duplicate.sum(), rejected.sum(), statuses,
                    errors.sum(), errorKinds, notSent, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        }
    }

    private static final byte[] DUPLICATE_TRUE = "\"duplicate\":true".getBytes(StandardCharsets.US_ASCII);

    private final Workload workload;
    private final int concurrency;
    private final int expectStatus;
    private final Listener listener;
    private final AtomicLong seqs;
    private final HttpConn[] conns;
    private final Workload.Signer[] signers;
    final LongAdder progressOk = new LongAdder();
    final LongAdder progressFailed = new LongAdder();
    /** The slowest answer since the last progress line, and how many took over 50 ms (where the p99 target is). */
    final LongAccumulator progressMaxMicros = new LongAccumulator(Math::max, 0);
    final LongAdder progressOver50ms = new LongAdder();
    /** The window answers are counted in right now. */
    private volatile Window current;
    private volatile boolean stop;

    LoadRunner(Workload workload, String host, int port, int concurrency, int expectStatus, Listener listener,
               AtomicLong seqs, int timeoutMillis) {
        this.workload = workload;
        this.concurrency = concurrency;
        this.expectStatus = expectStatus;
        this.listener = listener;
        this.seqs = seqs;
        this.conns = new HttpConn[concurrency];
        this.signers = new Workload.Signer[concurrency];
        for (int i = 0; i < concurrency; i++) {
            conns[i] = new HttpConn(host, port, timeoutMillis);
            signers[i] = workload.new Signer();
        }
    }

    long connects() {
        long n = 0;
        for (HttpConn c : conns) n += c.connects;
        return n;
    }

    void closeConnections() {
        for (HttpConn c : conns) c.close();
    }

    /**
     * Closed loop: a warm-up window then a measured window, back to back; each request is counted in the window in
     * which its answer arrived. Requests still in flight when the measured window closes land in a third window
     * ("tail") so the ledger stays complete.
     *
     * @return warm-up, measure and tail windows
     */
    Window[] closed(double warmupSeconds, double measureSeconds) throws InterruptedException {
        Window warm = new Window("closed warm-up");
        Window measure = new Window("closed measure");
        Window tail = new Window("closed tail");
        current = warm;
        stop = false;
        List<Thread> threads = new ArrayList<>();
        warm.startNanos = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            int worker = i;
            Thread t = new Thread(() -> {
                while (!stop) {
                    long seq = seqs.getAndIncrement();
                    Workload.Request r = signers[worker].request(seq);
                    exchangeRecord(worker, r, seq, System.nanoTime());
                }
            }, "closed-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        sleepSeconds(warmupSeconds);
        long boundary = System.nanoTime();
        warm.endNanos = boundary;
        measure.startNanos = boundary;
        current = measure;
        long[] ticks0 = ProcWatch.machineTicks();
        sleepSeconds(measureSeconds);
        boundary = System.nanoTime();
        measure.endNanos = boundary;
        long[] ticks1 = ProcWatch.machineTicks();
        measure.stealPct = ProcWatch.stealPct(ticks0, ticks1);
        measure.idlePct = ProcWatch.idlePct(ticks0, ticks1);
        tail.startNanos = boundary;
        current = tail;
        stop = true;
        for (Thread t : threads) t.join(120_000);
        tail.endNanos = System.nanoTime();
        return new Window[] {warm, measure, tail};
    }

    /** Sends, then records the answer in whichever window is current when it arrives. */
    private void exchangeRecord(int worker, Workload.Request r, long seq, long start) {
        HttpConn conn = conns[worker];
        Outcome outcome;
        int status = -1;
        String errorKind = null;
        String errorText = null;
        try {
            status = conn.exchange(r.head(), r.body());
            if (status == expectStatus) {
                outcome = expectStatus == 202 && conn.bodyContains(DUPLICATE_TRUE) ? Outcome.DUPLICATE : Outcome.OK;
            } else {
                outcome = Outcome.REJECTED;
                errorText = conn.bodyText();
            }
        } catch (IOException | RuntimeException e) {
            outcome = Outcome.ERROR;
            errorKind = e.getClass().getSimpleName();
            errorText = e.toString();
            // nobody listening (the gateway died): do not spin on refused connections
            if (e instanceof java.net.ConnectException) LockSupport.parkNanos(50_000_000L);
        }
        long end = System.nanoTime();
        Window w = current;
        record(w, r, outcome, status, errorKind, errorText, start, end);
        if (listener != null) listener.completed(seq, r.fixture(), outcome, start, end);
    }

    private void record(Window w, Workload.Request r, Outcome outcome, int status, String errorKind, String errorText,
                        long scheduledNanos, long end) {
        w.sent.increment();
        if (status >= 0) w.statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        switch (outcome) {
            case OK -> { w.ok.increment(); progressOk.increment(); }
            case DUPLICATE -> w.duplicate.increment();
            case REJECTED -> {
                if (w.rejected.sum() < 5) System.err.println("unexpected " + status + " for " + r.fixture().file() + ": " + errorText);
                w.rejected.increment();
                progressFailed.increment();
            }
            case ERROR -> {
                LongAdder n = w.errorKinds.computeIfAbsent(errorKind, k -> new LongAdder());
                if (n.sum() < 3) System.err.println("request error (" + r.fixture().file() + "): " + errorText);
                n.increment();
                w.errors.increment();
                progressFailed.increment();
            }
        }
        long micros = Math.max(1, Math.min((end - scheduledNanos) / 1000, 3_600_000_000L));
        w.latencyMicros.recordValue(micros);
        progressMaxMicros.accumulate(micros);
        if (micros > 50_000) progressOver50ms.increment();
    }

    /**
     * Open loop at a fixed arrival rate for the given time: request i is due at start + i/rate. A connection takes
     * the next due request, waits for its time if it is early, sends it, and the latency is the answer's arrival
     * minus the due time. Requests due inside the window but not yet sent when the window is over are still sent
     * (their wait counts) for up to {@code graceSeconds}; any left after that are reported as not sent.
     */
    Window open(double rate, double seconds, double graceSeconds) throws InterruptedException {
        Window w = new Window("open loop @" + Math.round(rate) + "/s");
        w.offeredRate = rate;
        long due = (long) Math.floor(rate * seconds);
        double intervalNanos = 1e9 / rate;
        long t0 = System.nanoTime() + 20_000_000L;
        long hardStop = t0 + (long) ((seconds + graceSeconds) * 1e9);
        AtomicLong next = new AtomicLong();
        LongAdder taken = new LongAdder();
        current = w;
        w.startNanos = t0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            int worker = i;
            Thread t = new Thread(() -> {
                while (true) {
                    long index = next.getAndIncrement();
                    if (index >= due) return;
                    long scheduled = t0 + (long) (index * intervalNanos);
                    if (System.nanoTime() > hardStop) return;
                    long seq = seqs.getAndIncrement();
                    Workload.Request r = signers[worker].request(seq);
                    long now;
                    while ((now = System.nanoTime()) < scheduled) LockSupport.parkNanos(scheduled - now);
                    taken.increment();
                    exchangeRecord(worker, r, seq, scheduled);
                }
            }, "open-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join(Math.max(1, (hardStop - System.nanoTime()) / 1_000_000 + 120_000));
        w.endNanos = Math.max(System.nanoTime(), t0 + (long) (seconds * 1e9));
        // the rate achieved is measured over the scheduled window (plus any overrun to answer the last requests)
        w.notSent = due - taken.sum();
        return w;
    }

    private static void sleepSeconds(double s) throws InterruptedException {
        Thread.sleep(Math.max(0, Math.round(s * 1000)));
    }
}
