package io.hookbridge.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HookBridge benchmark tool. Commands (all options {@code --name value}):
 * <ul>
 *   <li>{@code load}: closed-loop capacity then open-loop latency against {@code POST /webhooks/...};</li>
 *   <li>{@code e2e}: load plus a local receiver for the subscriptions, with the delivery ledger;</li>
 *   <li>{@code fsync}: 1 KiB append + fdatasync rate with 1, 4, 16 writers;</li>
 *   <li>{@code report}: the markdown results file from the collected figures.</li>
 * </ul>
 * Figures are appended as {@code key=value} lines to {@code --out}; progress goes to stderr.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: loadgen load|e2e|fsync|report --option value ...");
            System.exit(2);
        }
        // the receiver answers each delivery with one small write: do not let Nagle hold it back
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "load" -> load(o);
            case "e2e" -> e2e(o);
            case "fsync" -> fsync(o);
            case "report" -> Report.write(Path.of(req(o, "props")), Path.of(req(o, "out")));
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
            o.put(key, value);
        }
        return o;
    }

    private static String req(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("--" + key + " is required");
        return v;
    }

    private static double num(Map<String, String> o, String key, double dflt) {
        String v = o.get(key);
        return v == null || v.isEmpty() ? dflt : Double.parseDouble(v);
    }

    /** {@code pencil=...,iotum=...}: the secrets the gateway was started with. */
    private static Map<String, String> secrets(Map<String, String> o) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String pair : req(o, "secrets").split(",")) {
            int eq = pair.indexOf('=');
            s.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return s;
    }

    private static Workload workload(Map<String, String> o, String pathSource, int runId) throws IOException {
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(req(o, "port"));
        return new Workload(Path.of(req(o, "fixtures")), secrets(o), runId, host + ":" + port, pathSource,
                Workload.SPACEOS_BRIDGED_TYPES, "spaceos");
    }

    private static void describeWorkload(Workload w, Props p, String prefix) {
        p.put(prefix + ".fixtures", w.fixtures.size());
        p.put(prefix + ".body_avg_bytes", w.averageBodyBytes());
        StringBuilder mix = new StringBuilder();
        for (String s : List.of("pencil", "iotum", "recordings", "attendee", "spaceos")) {
            mix.append(s).append(' ').append(w.count(s)).append(", ");
        }
        p.put(prefix + ".mix", mix.substring(0, mix.length() - 2));
        p.put(prefix + ".bridged_fixtures", w.bridgedCount());
    }

    /** A progress line per second on stderr. */
    private static Thread ticker(String label, LoadRunner runner, ProcWatch watch, EndToEnd e2e) {
        Thread t = new Thread(() -> {
            long lastOk = 0, lastFailed = 0, lastDelivered = 0;
            long[] lastTicks = ProcWatch.machineTicks();
            long t0 = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long ok = runner.progressOk.sum(), failed = runner.progressFailed.sum();
                String extra = "";
                if (e2e != null) {
                    long d = e2e.delivered();
                    extra = String.format(", delivered %d/s, backlog %d", d - lastDelivered, e2e.accepted.sum() - e2e.ceReceived.sum());
                    lastDelivered = d;
                }
                long[] ticks = ProcWatch.machineTicks();
                double stealPct = ProcWatch.stealPct(lastTicks, ticks);
                double idlePct = ProcWatch.idlePct(lastTicks, ticks);
                String steal = Double.isNaN(stealPct) ? "–" : String.format("%.0f%%", stealPct);
                String idle = Double.isNaN(idlePct) ? "–" : String.format("%.0f%%", idlePct);
                lastTicks = ticks;
                System.err.printf("  [%s %3.0fs] ok %d/s, failed %d/s, max %.0f ms, over 50 ms %d%s, rss %d MiB, steal %s, idle %s%n", label,
                        (System.nanoTime() - t0) / 1e9, ok - lastOk, failed - lastFailed, runner.progressMaxMicros.getThenReset() / 1e3,
                        runner.progressOver50ms.sumThenReset(), extra, watch.rssKb() / 1024, steal, idle);
                lastOk = ok;
                lastFailed = failed;
            }
        }, "ticker");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * {@code load}: for one concurrency, a closed-loop warm-up and measured window (capacity), then an open-loop
     * window at {@code --rate} or {@code --rate-factor} times the measured capacity (latency).
     */
    private static void load(Map<String, String> o) throws Exception {
        String target = o.getOrDefault("target", "ingest");
        boolean ceiling = target.equals("ceiling");
        String prefix = req(o, "prefix");
        int concurrency = (int) num(o, "concurrency", 16);
        int port = Integer.parseInt(req(o, "port"));
        String host = o.getOrDefault("host", "127.0.0.1");
        Workload w = workload(o, ceiling ? "nosuch" : null, (int) num(o, "run-id", System.nanoTime() & 0xffff));
        Props p = new Props();
        describeWorkload(w, p, prefix + ".workload");
        long pid = (long) num(o, "pid", -1);
        String disk = o.get("disk");
        AtomicLong seqs = new AtomicLong((long) num(o, "first-seq", 0));
        LoadRunner runner = new LoadRunner(w, host, port, concurrency, ceiling ? 404 : 202, null, seqs,
                (int) num(o, "timeout-ms", 30_000));
        // the gateway's counters before this run (the ceiling runs several concurrencies on one JVM)
        Map<String, Double> before = Prometheus.scrape(host, port);
        double countedBefore = ceiling
                ? Prometheus.sum(before, "hookbridge_events_rejected_total", "reason=\"unknown_source\"")
                : Prometheus.sum(before, "hookbridge_events_received_total", null);
        try (ProcWatch watch = new ProcWatch(pid)) {
            Thread tick = ticker(prefix, runner, watch, null);
            System.err.printf("%s: closed loop, %d connections, %.0f s warm-up + %.0f s measured%n", prefix, concurrency,
                    num(o, "warmup", 30), num(o, "measure", 20));
            long flushes0 = ProcWatch.diskFlushes(disk);
            long[] flushesAt = new long[2];
            LoadRunner.Window[] closed = runner.closed(num(o, "warmup", 30), num(o, "measure", 20));
            long flushes1 = ProcWatch.diskFlushes(disk);
            for (LoadRunner.Window win : closed) System.err.println("  " + win.summary());
            double capacity = closed[1].okPerSecond();
            double rate = num(o, "rate", 0);
            if (rate <= 0) rate = Math.max(1, capacity * num(o, "rate-factor", 0.9));
            runner.closeConnections();
            System.err.printf("%s: open loop at %.0f/s for %.0f s, at most %d in flight%n", prefix, rate, num(o, "measure", 20), concurrency);
            long flushes2 = ProcWatch.diskFlushes(disk);
            LoadRunner.Window open = openWindow(runner, watch, rate, num(o, "measure", 20), num(o, "grace", 10), p, prefix + ".open",
                    o.get("probe-dir"));
            long flushes3 = ProcWatch.diskFlushes(disk);
            System.err.println("  " + open.summary());
            // the issue's own latency target is set at a rate (5,000/s): measure there too, if the capacity reaches it
            double targetRate = num(o, "target-rate", 0);
            LoadRunner.Window atTarget = null;
            if (targetRate > 0 && capacity >= targetRate) {
                runner.closeConnections();
                System.err.printf("%s: open loop at the target rate %.0f/s for %.0f s%n", prefix, targetRate, num(o, "measure", 20));
                atTarget = openWindow(runner, watch, targetRate, num(o, "measure", 20), num(o, "grace", 10), p,
                        prefix + ".target", o.get("probe-dir"));
                System.err.println("  " + atTarget.summary());
                atTarget.write(p, prefix + ".target");
            }
            tick.interrupt();
            closed[0].write(p, prefix + ".warmup");
            closed[1].write(p, prefix + ".closed");
            closed[2].write(p, prefix + ".closed_tail");
            open.write(p, prefix + ".open");
            p.put(prefix + ".concurrency", concurrency);
            p.put(prefix + ".rss_max_kb", watch.maxRssKb());
            p.put(prefix + ".hwm_kb", watch.hwmKb());
            p.put(prefix + ".connects", runner.connects());
            if (flushes0 >= 0 && flushes1 >= 0 && closed[1].ok.sum() > 0) {
                // only the measured window: scale the whole closed run's flushes by its share of time
                double share = closed[1].seconds() / (closed[0].seconds() + closed[1].seconds() + closed[2].seconds());
                p.put(prefix + ".closed.disk_flushes_per_ok", (flushes1 - flushes0) * share / closed[1].ok.sum());
            }
            if (flushes2 >= 0 && flushes3 >= 0 && open.ok.sum() > 0) {
                p.put(prefix + ".open.disk_flushes_per_ok", (double) (flushes3 - flushes2) / open.ok.sum());
                p.put(prefix + ".open.disk_flushes_per_s", (flushes3 - flushes2) / open.seconds());
            }
            // the client's ledger, and the gateway's own count of the same requests
            List<LoadRunner.Window> windows = new ArrayList<>(List.of(closed[0], closed[1], closed[2], open));
            if (atTarget != null) windows.add(atTarget);
            Ledger ledger = Ledger.of(windows);
            ledger.put(p, prefix);
            long sent = ledger.sent(), ok = ledger.ok(), dup = ledger.dup(), rej = ledger.rejected(), err = ledger.errors(),
                    notSent = ledger.notSent();
            Map<String, Double> metrics = Prometheus.scrape(host, port);
            double gatewayCount = ceiling
                    ? Prometheus.sum(metrics, "hookbridge_events_rejected_total", "reason=\"unknown_source\"")
                    : Prometheus.sum(metrics, "hookbridge_events_received_total", null);
            if (!Double.isNaN(countedBefore)) gatewayCount -= countedBefore;
            p.put(prefix + ".ledger.gateway_counted", Double.isNaN(gatewayCount) ? -1 : Math.round(gatewayCount));
            p.put(prefix + ".ledger.balanced", sent == ok + dup + rej + err && dup == 0 && rej == 0 && err == 0 && notSent == 0
                    && Math.round(gatewayCount) == ok ? "true" : "false");
            System.err.printf("%s: ledger sent %d = ok %d + duplicate %d + rejected %d + errors %d (not sent %d); the gateway counted %.0f%n",
                    prefix, sent, ok, dup, rej, err, notSent, gatewayCount);
        }
        p.appendTo(Path.of(req(o, "out")));
    }

    /**
     * {@code e2e}: a closed-loop warm-up (JIT, and a backlog), a drain (the delivery-only rate), an open-loop window
     * at {@code --rate} or {@code --rate-factor} times the estimated sustainable rate, a final drain, the ledger.
     */
    private static void e2e(Map<String, String> o) throws Exception {
        String prefix = req(o, "prefix");
        int concurrency = (int) num(o, "concurrency", 64);
        int port = Integer.parseInt(req(o, "port"));
        String host = o.getOrDefault("host", "127.0.0.1");
        Workload w = workload(o, null, (int) num(o, "run-id", System.nanoTime() & 0xffff));
        Props p = new Props();
        describeWorkload(w, p, prefix + ".workload");
        long pid = (long) num(o, "pid", -1);
        double drainTimeout = num(o, "drain-timeout", 180);
        double warmup = num(o, "warmup", 30), measure = num(o, "measure", 20);
        AtomicLong seqs = new AtomicLong();
        try (EndToEnd e2e = new EndToEnd(w, Integer.parseInt(req(o, "receiver-port")), (int) num(o, "receiver-threads", 64));
             ProcWatch watch = new ProcWatch(pid)) {
            LoadRunner runner = new LoadRunner(w, host, port, concurrency, 202, e2e, seqs, (int) num(o, "timeout-ms", 30_000));
            Thread tick = ticker(prefix, runner, watch, e2e);
            System.err.printf("%s: warm-up, closed loop, %d connections, %.0f s%n", prefix, concurrency, warmup);
            // two halves: the second (warm JIT, saturated) is the one the rate estimate uses
            LoadRunner.Window[] warm = runner.closed(warmup / 2, warmup / 2);
            for (LoadRunner.Window win : warm) System.err.println("  " + win.summary());
            long backlog = e2e.accepted.sum() - e2e.ceReceived.sum();
            double a2 = warm[1].okPerSecond();
            double c2 = e2e.ceDeliveredBetween(warm[1].startNanos, warm[1].endNanos) / warm[1].seconds();
            System.err.printf("%s: second half of the warm-up: %.0f accepted/s, %.0f delivered to /ce per s; backlog %d; draining%n",
                    prefix, a2, c2, backlog);
            EndToEnd.Drain drain1 = e2e.drain(drainTimeout);
            System.err.printf("  drained in %.1f s (complete %s): %.0f cloudevents/s over the first 90%%%n", drain1.seconds(),
                    drain1.complete(), drain1.throughput());
            double rate = num(o, "rate", 0);
            String rateBasis;
            double factor = num(o, "rate-factor", 0.9);
            if (rate > 0) {
                rateBasis = "set by BENCH_E2E_RATE";
            } else if (backlog <= 2 * a2) {
                // delivery kept up with saturated ingest: that ingest rate is the end-to-end capacity
                rate = factor * a2;
                rateBasis = String.format("%.2f × %.0f/s, the accepted rate of the warm-up's saturated second half, which "
                        + "delivery kept up with (backlog %d at its end)", factor, a2, backlog);
            } else {
                // delivery fell behind: sustainable x solves x·(ci + cd) = 1, with cd = 1/D from the drain and
                // ci from the saturated warm-up (a2·ci + c2·cd = 1); clamped to [c2, a2]
                double d = drain1.throughput();
                double x = c2;
                if (Double.isFinite(d) && d > c2) {
                    double ci = (1 - c2 / d) / a2;
                    x = Math.max(c2, Math.min(a2, 1 / (ci + 1 / d)));
                }
                rate = factor * x;
                rateBasis = String.format("%.2f × %.0f/s, estimated from the saturated warm-up (%.0f accepted/s, %.0f delivered/s) "
                        + "and the drain with no ingest (D = %.0f events/s), assuming ingest and delivery share the CPU",
                        factor, x, a2, c2, d);
            }
            rate = Math.max(1, rate);
            runner.closeConnections();
            // The rate search: open-loop windows from that rate, up by stepFactor while every window passed (post-to-
            // receipt p99 within the target, every event delivered after it), down while none has, then one window
            // half-way between the fastest pass and the slowest fail; the figures are those of the fastest passing
            // window (or of the slowest tried, when none passed).
            double latencyTarget = num(o, "latency-target-ms", 250);
            int maxSteps = o.containsKey("rate") ? 1 : Math.max(1, (int) num(o, "steps", 6));
            double stepFactor = num(o, "step-factor", 1.25);
            List<LoadRunner.Window> windows = new ArrayList<>(List.of(warm[0], warm[1], warm[2]));
            List<String> tried = new ArrayList<>();
            Props fastestPass = null, slowest = null;
            double fastestPassRate = 0, slowestRate = Double.MAX_VALUE, slowestFailRate = Double.MAX_VALUE;
            boolean refined = false;
            for (int step = 1; step <= maxSteps; step++) {
                System.err.printf("%s: open loop at %.0f/s for %.0f s (step %d of at most %d; %s)%n", prefix, rate, measure, step,
                        maxSteps, rateBasis);
                Props sp = new Props();
                long deliveredBefore = e2e.delivered();
                LoadRunner.Window open = openWindow(runner, watch, rate, measure, num(o, "grace", 10), sp, prefix + ".open", null);
                long windowEndLag = e2e.accepted.sum() - e2e.ceReceived.sum();
                runner.closeConnections();
                windows.add(open);
                System.err.println("  " + open.summary());
                System.err.printf("%s: drain (%d accepted, %d delivered to /ce, %d/%d bridged)%n", prefix, e2e.accepted.sum(),
                        e2e.ceReceived.sum(), e2e.bridgeReceived.sum(), e2e.bridgeExpected.sum());
                EndToEnd.Drain drain = e2e.drain(drainTimeout);
                System.err.printf("  drained in %.1f s (complete %s)%n", drain.seconds(), drain.complete());
                open.write(sp, prefix + ".open");
                sp.put(prefix + ".backlog_at_window_end", windowEndLag);
                sp.put(prefix + ".deliveries_during_open", e2e.delivered() - deliveredBefore);
                sp.put(prefix + ".drain2.seconds", drain.seconds());
                sp.put(prefix + ".drain2.complete", String.valueOf(drain.complete()));
                e2e.windowFigures(open.startNanos, open.endNanos, sp, prefix);
                Double p99 = sp.number(prefix + ".lat.p99_ms");
                Double perSecond = sp.number(prefix + ".delivered_per_s");
                boolean missing = !"0".equals(sp.get(prefix + ".window_ce_missing")) || !"0".equals(sp.get(prefix + ".window_bridge_missing"));
                boolean passed = drain.complete() && !missing && p99 != null && p99 <= latencyTarget
                        && open.errors.sum() == 0 && open.notSent == 0;
                tried.add(String.format("%.0f/s → %s deliveries/s, p99 %s ms%s", rate, perSecond == null ? "–" : String.format("%.0f", perSecond),
                        p99 == null ? "–" : String.format("%.0f", p99), passed ? " (pass)" : drain.complete() ? " (fail)" : " (fail: not drained)"));
                System.err.printf("%s: step %d at %.0f/s: %s%n", prefix, step, rate, tried.get(tried.size() - 1));
                if (passed && rate > fastestPassRate) {
                    fastestPass = sp;
                    fastestPassRate = rate;
                }
                if (!passed) slowestFailRate = Math.min(slowestFailRate, rate);
                if (rate < slowestRate) {
                    slowest = sp;
                    slowestRate = rate;
                }
                if (!drain.complete()) break; // the gateway did not catch up: a later window would measure the backlog
                if (fastestPass == null) {
                    rate /= stepFactor; // nothing passed yet: slower
                } else if (slowestFailRate == Double.MAX_VALUE) {
                    rate *= stepFactor; // nothing failed yet: faster
                } else if (!refined && slowestFailRate > fastestPassRate * 1.05) {
                    refined = true; // the limit is bracketed: one window half-way (geometrically), then stop
                    rate = Math.sqrt(fastestPassRate * slowestFailRate);
                } else {
                    break;
                }
                if (rate < 1) break;
            }
            boolean anyPassed = fastestPass != null;
            tick.interrupt();
            p.values.putAll((anyPassed ? fastestPass : slowest).values);
            p.put(prefix + ".search", String.join("; ", tried));
            p.put(prefix + ".search.latency_target_ms", latencyTarget);
            p.put(prefix + ".search.passed", String.valueOf(anyPassed));
            p.put(prefix + ".search.chosen_rate", anyPassed ? fastestPassRate : slowestRate);
            warm[0].write(p, prefix + ".warmup1");
            warm[1].write(p, prefix + ".warmup");
            warm[2].write(p, prefix + ".warmup_tail");
            p.put(prefix + ".concurrency", concurrency);
            p.put(prefix + ".rate_basis", rateBasis);
            p.put(prefix + ".warmup.ce_delivered_per_s", c2);
            p.put(prefix + ".warmup.backlog", backlog);
            p.put(prefix + ".drain1.seconds", drain1.seconds());
            p.put(prefix + ".drain1.complete", String.valueOf(drain1.complete()));
            p.put(prefix + ".drain1.backlog", drain1.backlog());
            p.put(prefix + ".drain1.ce_per_s", drain1.throughput());
            Ledger ledger = Ledger.of(windows);
            ledger.put(p, prefix);
            long sent = ledger.sent(), ok = ledger.ok(), dup = ledger.dup(), rej = ledger.rejected(), err = ledger.errors(),
                    notSent = ledger.notSent();
            e2e.ledger(p, prefix);
            Map<String, Double> metrics = Prometheus.scrape(host, port);
            double gatewayCount = Prometheus.sum(metrics, "hookbridge_events_received_total", null);
            p.put(prefix + ".ledger.gateway_counted", Double.isNaN(gatewayCount) ? -1 : Math.round(gatewayCount));
            p.put(prefix + ".gateway_deliveries", Prometheus.series(metrics, "hookbridge_deliveries_total"));
            boolean balanced = "true".equals(p.get(prefix + ".ledger.balanced")) && dup == 0 && rej == 0 && err == 0
                    && notSent == 0 && Math.round(gatewayCount) == ok;
            p.put(prefix + ".ledger.balanced", String.valueOf(balanced));
            p.put(prefix + ".rss_max_kb", watch.maxRssKb());
            p.put(prefix + ".hwm_kb", watch.hwmKb());
            System.err.printf("%s: ledger sent %d = ok %d + dup %d + rejected %d + errors %d; cloudevents %d/%d, bridged %d/%d, "
                            + "unmatched %d, balanced %s%n", prefix, sent, ok, dup, rej, err, e2e.ceReceived.sum(), e2e.accepted.sum(),
                    e2e.bridgeReceived.sum(), e2e.bridgeExpected.sum(), e2e.unmatched.sum(), balanced);
        }
        p.appendTo(Path.of(req(o, "out")));
    }

    /** {@code fsync}: per writer count, each writer appends 1 KiB to its own file and fdatasyncs, for N seconds. */
    private static void fsync(Map<String, String> o) throws Exception {
        Path dir = Path.of(req(o, "dir"));
        Files.createDirectories(dir);
        double seconds = num(o, "seconds", 10);
        String prefix = o.getOrDefault("prefix", "fsync");
        Props p = new Props();
        p.put(prefix + ".dir", dir.toAbsolutePath().toString());
        p.put(prefix + ".seconds", seconds);
        for (String n : o.getOrDefault("writers", "1,4,16").split(",")) {
            int writers = Integer.parseInt(n.trim());
            LongAdder ops = new LongAdder();
            Recorder lat = new Recorder(1, 60_000_000L, 3);
            List<Thread> threads = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Path f = dir.resolve("fsync-" + writers + "-" + i + ".dat");
                files.add(f);
                Thread t = new Thread(() -> {
                    ByteBuffer block = ByteBuffer.allocateDirect(1024);
                    for (int k = 0; k < 1024; k++) block.put((byte) ('a' + k % 26));
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)) {
                        while (System.nanoTime() < end) {
                            block.rewind();
                            long t0 = System.nanoTime();
                            while (block.hasRemaining()) ch.write(block);
                            ch.force(false);
                            lat.recordValue(Math.max(1, Math.min((System.nanoTime() - t0) / 1000, 60_000_000L)));
                            ops.increment();
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                threads.add(t);
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            double took = (System.nanoTime() - start) / 1e9;
            for (Path f : files) Files.deleteIfExists(f);
            Histogram h = lat.getIntervalHistogram();
            p.put(prefix + ".w" + writers + ".per_s", ops.sum() / took);
            p.put(prefix + ".w" + writers + ".p50_ms", h.getValueAtPercentile(50) / 1000.0);
            p.put(prefix + ".w" + writers + ".p99_ms", h.getValueAtPercentile(99) / 1000.0);
            p.put(prefix + ".w" + writers + ".max_ms", h.getMaxValue() / 1000.0);
            long stalls = SyncProbe.stalls(h);
            p.put(prefix + ".w" + writers + ".stalls", stalls);
            System.err.printf("fsync: %2d writer(s): %.0f appends+fdatasync/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d at %d ms or more%n",
                    writers, ops.sum() / took, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0, stalls, SyncProbe.STALL_MS);
        }
        p.appendTo(Path.of(req(o, "out")));
    }

    /** Reads the gateway's /actuator/prometheus. */
    static final class Prometheus {
        static Map<String, Double> scrape(String host, int port) {
            Map<String, Double> out = new TreeMap<>();
            try (HttpConn c = new HttpConn(host, port, 10_000)) {
                byte[] head = ("GET /actuator/prometheus HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/plain\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                int status = c.exchange(head, new byte[0]);
                if (status != 200) return out;
                for (String line : c.bodyText().split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    int sp = line.lastIndexOf(' ');
                    try {
                        out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                    } catch (RuntimeException ignored) {
                        // not a sample line
                    }
                }
            } catch (IOException e) {
                System.err.println("could not read /actuator/prometheus: " + e);
            }
            return out;
        }

        static double sum(Map<String, Double> metrics, String name, String labelFilter) {
            if (metrics.isEmpty()) return Double.NaN;
            double s = 0;
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                String k = e.getKey();
                if (!(k.equals(name) || k.startsWith(name + "{"))) continue;
                if (labelFilter != null && !k.contains(labelFilter)) continue;
                s += e.getValue();
            }
            return s;
        }

        static String series(Map<String, Double> metrics, String name) {
            StringBuilder sb = new StringBuilder();
            metrics.forEach((k, v) -> {
                if (k.startsWith(name + "{")) sb.append(k.substring(name.length())).append(" = ").append(Math.round(v)).append("; ");
            });
            return sb.toString().trim();
        }
    }

    private Main() { }

    /** An open-loop window, with the gateway's CPU per accepted request and the machine's steal over it. */
    private static LoadRunner.Window openWindow(LoadRunner runner, ProcWatch watch, double rate, double seconds, double grace,
                                                Props p, String prefix, String probeDir) throws InterruptedException, IOException {
        long cpu0 = watch.cpuMillis();
        long[] ticks0 = ProcWatch.machineTicks();
        SyncProbe probe = SyncProbe.start(probeDir, 5);
        LoadRunner.Window window;
        try {
            window = runner.open(rate, seconds, grace);
        } finally {
            if (probe != null) probe.close();
        }
        watch.putWindow(p, prefix, cpu0, ticks0, window.ok.sum());
        if (probe != null) probe.stopAndPut(p, prefix + ".disk_probe");
        return window;
    }

    /** The client's books over a phase's windows: every request sent, and what became of it. */
    record Ledger(long sent, long ok, long dup, long rejected, long errors, long notSent) {
        static Ledger of(List<LoadRunner.Window> windows) {
            long sent = 0, ok = 0, dup = 0, rej = 0, err = 0, notSent = 0;
            for (LoadRunner.Window win : windows) {
                sent += win.sent.sum();
                ok += win.ok.sum();
                dup += win.duplicate.sum();
                rej += win.rejected.sum();
                err += win.errors.sum();
                notSent += win.notSent;
            }
            return new Ledger(sent, ok, dup, rej, err, notSent);
        }

        void put(Props p, String prefix) {
            p.put(prefix + ".ledger.sent", sent);
            p.put(prefix + ".ledger.ok", ok);
            p.put(prefix + ".ledger.duplicate", dup);
            p.put(prefix + ".ledger.rejected", rejected);
            p.put(prefix + ".ledger.errors", errors);
            p.put(prefix + ".ledger.not_sent", notSent);
        }
    }
}
