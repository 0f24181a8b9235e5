package io.hookbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Writes bench/results/&lt;date&gt;.md from the figures a run collected. */
final class Report {

    private final Props p;
    private final StringBuilder md = new StringBuilder();

    private Report(Props p) {
        this.p = p;
    }

    static void write(Path props, Path out) throws IOException {
        Report r = new Report(Props.read(props));
        r.render();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, r.md.toString(), StandardCharsets.UTF_8);
        System.err.println("wrote " + out);
    }

    // ------------------------------------------------------------------------------------ formatting

    private String s(String key) {
        String v = p.get(key);
        return v == null ? "–" : v;
    }

    private Double n(String key) {
        return p.number(key);
    }

    private static String grouped(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private String count(String key) {
        Double v = n(key);
        return v == null ? "–" : grouped(v);
    }

    private String ms(String key) {
        Double v = n(key);
        if (v == null) return "–";
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private String mib(Double kb) {
        return kb == null || kb < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", kb / 1024);
    }

    private static String ratio(Double a, Double b) {
        if (a == null || b == null || b == 0) return "–";
        return String.format(Locale.ROOT, "%.1f%%", 100 * a / b);
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private List<String> concurrencies() {
        String c = p.get("machine.concurrency");
        return c == null ? List.of("16", "64") : Arrays.stream(c.trim().split("[ ,]+")).toList();
    }

    private static String verdict(Boolean pass) {
        return pass == null ? "not measured" : pass ? "**pass**" : "**FAIL**";
    }

    // ------------------------------------------------------------------------------------ the page

    private void render() {
        boolean quick = "quick".equals(p.get("machine.mode"));
        line("# HookBridge benchmark — " + s("machine.date_utc"));
        line("");
        if (p.get("machine.incomplete") != null) {
            line("> **INCOMPLETE RUN**: " + s("machine.incomplete") + ". The figures below are the phases that finished.");
            line("");
        }
        if (quick) {
            line("> **QUICK TRIAL** (BENCH_QUICK=1: " + s("machine.warmup") + " s warm-up, " + s("machine.measure")
                    + " s windows). These figures only show that the harness works; they are not results.");
            line("");
        }
        line("Produced by `bench/run` (see `bench/README.md`): the real `hookbridge.jar`, a fresh JVM and a fresh data dir per "
                + "gateway start, load from `bench/loadgen` on the same machine. Warm-up " + s("machine.warmup")
                + " s, measured windows " + s("machine.measure") + " s.");
        line("");
        machine();
        targets();
        ceilings();
        ingest();
        endToEnd();
        startupAndMemory();
        gatewayLogs();
        method();
    }

    private void machine() {
        line("## Machine");
        line("");
        line("| | |");
        line("|---|---|");
        line("| CPU | " + s("machine.cpu_model") + ", " + s("machine.nproc") + " cores (nproc) |");
        line("| memory | " + s("machine.mem_total") + " |");
        line("| data disk | " + s("machine.disk") + " |");
        line("| OS | " + s("machine.os") + ", kernel " + s("machine.kernel") + " |");
        line("| JVM | " + s("machine.java") + " |");
        line("| gateway | `" + s("machine.gateway_jar") + "` (built " + s("machine.gateway_jar_built") + "), JVM options: "
                + (p.get("machine.gateway_java_opts") == null ? "none (the JVM's defaults)" : "`" + s("machine.gateway_java_opts") + "`") + " |");
        line("| load generator | `bench/loadgen` (Java, HdrHistogram), JVM options `" + s("machine.loadgen_java_opts") + "`, on the same cores |");
        String w = "ingest.c64.workload";
        for (String candidate : List.of("ingest.c64", "ingest.c16", "e2e", "ceiling.c16", "ceiling.c64")) {
            if (p.get(candidate + ".workload.fixtures") != null) {
                w = candidate + ".workload";
                break;
            }
        }
        line("| workload | " + s(w + ".fixtures") + " fixtures round-robin (" + s(w + ".mix")
                + "), mean body " + s(w + ".body_avg_bytes") + " bytes (+ 33 for the marker field), each made unique and signed per vendor |");
        line("");
    }

    private void targets() {
        line("## Targets (issue 6)");
        line("");
        line("| target | measured | verdict |");
        line("|---|---|---|");
        Double ingest64 = n("ingest.c64.closed.ok_per_s");
        line("| durable ingest ≥ 5,000 webhooks/s at concurrency 64 | " + count("ingest.c64.closed.ok_per_s")
                + "/s (closed-loop capacity) | " + verdict(ingest64 == null ? null : ingest64 >= 5000) + " |");
        String latencyWindow = n("ingest.c64.target.p99_ms") != null ? "ingest.c64.target" : "ingest.c64.open";
        Double p99 = n(latencyWindow + ".p99_ms");
        line("| … with p99 ≤ 50 ms | " + ms(latencyWindow + ".p99_ms") + " ms (open loop at " + count(latencyWindow + ".offered_per_s")
                + "/s, 64 connections; at 0.9 × capacity: " + ms("ingest.c64.open.p99_ms") + " ms)" + diskProbe(latencyWindow) + " | "
                + verdict(p99 == null ? null : p99 <= 50) + " |");
        Double ceil64 = n("ceiling.c64.closed.ok_per_s");
        line("| ingest ≥ 25% of the HTTP ceiling (c64) | " + ratio(ingest64, ceil64) + " (" + count("ingest.c64.closed.ok_per_s")
                + " / " + count("ceiling.c64.closed.ok_per_s") + "; the host took " + pct("ingest.c64.closed.steal_pct")
                + " and " + pct("ceiling.c64.closed.steal_pct") + " of the CPU while they were measured; the CPU stood idle "
                + pct("ingest.c64.closed.idle_pct") + " of the ingest window (as when every request in flight waits on the disk) and "
                + pct("ceiling.c64.closed.idle_pct") + " of the ceiling's) | "
                + verdict(ingest64 == null || ceil64 == null ? null : ingest64 / ceil64 >= 0.25) + " |");
        Double e2eRate = n("e2e.delivered_per_s");
        line("| end to end ≥ 2,000 deliveries/s | " + count("e2e.delivered_per_s") + "/s (both subscriptions, at " + count("e2e.open.offered_per_s")
                + " webhooks/s offered) | " + verdict(e2eRate == null ? null : e2eRate >= 2000) + " |");
        Double e2eP99 = n("e2e.lat.p99_ms");
        line("| … with post-to-receipt p99 ≤ 250 ms | " + ms("e2e.lat.p99_ms") + " ms | " + verdict(e2eP99 == null ? null : e2eP99 <= 250) + " |");
        List<Double> starts = startups();
        Double median = median(starts);
        line("| start-up ≤ 6 s (to healthy) | median " + (median == null ? "–" : String.format(Locale.ROOT, "%.2f s", median / 1000))
                + " of " + starts.size() + " starts, max " + (starts.isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f s", starts.stream().mapToDouble(d -> d).max().getAsDouble() / 1000))
                + " | " + verdict(median == null ? null : median <= 6000) + " |");
        Double rss = peakRssKb();
        line("| resident memory ≤ 512 MB under load | peak " + mib(rss) + " MiB | " + verdict(rss == null ? null : rss <= 512 * 1024) + " |");
        List<String> ledgers = new ArrayList<>();
        boolean allBalanced = true;
        boolean any = false;
        for (String key : ledgerPrefixes()) {
            String b = p.get(key + ".ledger.balanced");
            if (b == null) continue;
            any = true;
            allBalanced &= b.equals("true");
            if (!b.equals("true")) ledgers.add(key);
        }
        line("| ledger balances (sent = accepted + rejected + errors; accepted = counted by the gateway = delivered) | "
                + (!any ? "–" : allBalanced ? "all phases" : "unbalanced: " + String.join(", ", ledgers)) + " | "
                + verdict(any ? allBalanced : null) + " |");
        line("");
    }

    private List<String> ledgerPrefixes() {
        List<String> out = new ArrayList<>();
        for (String c : concurrencies()) out.add("ceiling.c" + c);
        for (String c : concurrencies()) out.add("ingest.c" + c);
        out.add("e2e");
        return out;
    }

    private List<Double> startups() {
        List<Double> out = new ArrayList<>();
        for (String phase : phases()) {
            Double v = n("gw." + phase + ".startup_ms");
            if (v != null) out.add(v);
        }
        return out;
    }

    private List<String> phases() {
        String ph = p.get("machine.gateway_phases");
        return ph == null ? List.of() : Arrays.stream(ph.trim().split("\\s+")).toList();
    }

    private static Double median(List<Double> values) {
        if (values.isEmpty()) return null;
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private Double peakRssKb() {
        Double max = null;
        for (String phase : phases()) {
            for (String k : List.of("gw." + phase + ".hwm_kb", "gw." + phase + ".rss_max_kb")) {
                Double v = n(k);
                if (v != null && v > 0 && (max == null || v > max)) max = v;
            }
        }
        return max;
    }

    private void loadRows(String label, String prefix, String unit) {
        line("| " + label + " | " + s(prefix + ".concurrency") + " | " + count(prefix + ".closed.ok_per_s") + " | "
                + ms(prefix + ".closed.p50_ms") + " / " + ms(prefix + ".closed.p99_ms") + " | "
                + count(prefix + ".open.offered_per_s") + " | " + count(prefix + ".open.ok_per_s") + " | "
                + ms(prefix + ".open.p50_ms") + " | " + ms(prefix + ".open.p99_ms") + " | " + ms(prefix + ".open.p999_ms") + " | "
                + ms(prefix + ".open.max_ms") + " | " + errorsCell(prefix) + " |");
    }

    private String errorsCell(String prefix) {
        long rejected = 0, errors = 0, dup = 0;
        for (String w : List.of(".warmup", ".closed", ".closed_tail", ".open", ".target")) {
            Double r = n(prefix + w + ".rejected"), e = n(prefix + w + ".errors"), d = n(prefix + w + ".duplicate");
            rejected += r == null ? 0 : r.longValue();
            errors += e == null ? 0 : e.longValue();
            dup += d == null ? 0 : d.longValue();
        }
        String s = rejected + " / " + errors;
        if (dup > 0) s += " (+" + dup + " dup)";
        return s;
    }

    private void loadHeader(String what) {
        line("| " + what + " | conc. | closed loop " + "/s | closed p50 / p99 ms | open loop offered /s | achieved /s | p50 ms | p99 ms | p99.9 ms | max ms | rejected / errors |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    private void ceilings() {
        line("## 1. Ceilings of this machine");
        line("");
        line("**HTTP stack ceiling**: the gateway's own unknown-source path, `POST /webhooks/nosuch` with the same bodies and "
                + "headers, answered `404 {\"error\":\"unknown_source\"}` by the same Tomcat/Spring MVC stack with no "
                + "verification and no persistence. It is not a bare trivial 202 (the path also counts a metric, logs one line and "
                + "builds the error answer), so it slightly understates the ceiling and so slightly flatters the ingest ratio.");
        line("");
        loadHeader("HTTP ceiling");
        for (String c : concurrencies()) loadRows("unknown source → 404", "ceiling.c" + c, "req");
        line("");
        line("**fsync ceiling** of the data dir's disk (`" + s("fsync.dir") + "`): each writer appends 1 KiB to its own file and "
                + "calls `FileChannel.force(false)` (fdatasync), for " + s("fsync.seconds").replaceAll("\\.0+$", "") + " s per row.");
        line("");
        line("| writers | appends + fdatasync /s | p50 ms | p99 ms | max ms | syncs ≥ 30 ms |");
        line("|---:|---:|---:|---:|---:|---:|");
        for (String w : List.of("1", "4", "16")) {
            line("| " + w + " | " + count("fsync.w" + w + ".per_s") + " | " + ms("fsync.w" + w + ".p50_ms") + " | " + ms("fsync.w" + w + ".p99_ms")
                    + " | " + ms("fsync.w" + w + ".max_ms") + " | " + count("fsync.w" + w + ".stalls") + " |");
        }
        line("");
    }

    private void ingest() {
        line("## 2. Durable ingest");
        line("");
        line("Distinct signed webhooks (all five vendors, round-robin over the fixtures) to `POST /webhooks/<vendor>`; "
                + "a request counts as accepted on `202` with `\"duplicate\":false`. Each accepted event is stored on one durable "
                + "queue (`Consumer.bench-park.VirtualTopic.hookbridge.events`, created at start-up, never consumed), as it would "
                + "be with one subscription whose receiver is down; without any queue behind the virtual topic the broker would "
                + "store nothing. A fresh gateway and data dir per concurrency.");
        line("");
        loadHeader("ingest");
        for (String c : concurrencies()) loadRows("durable ingest", "ingest.c" + c, "webhooks");
        for (String c : concurrencies()) {
            String pre = "ingest.c" + c + ".target";
            if (n(pre + ".p99_ms") == null) continue;
            line("| … open loop at the target rate | " + c + " | | | " + count(pre + ".offered_per_s") + " | " + count(pre + ".ok_per_s")
                    + " | " + ms(pre + ".p50_ms") + " | " + ms(pre + ".p99_ms") + " | " + ms(pre + ".p999_ms") + " | " + ms(pre + ".max_ms")
                    + " | " + count(pre + ".rejected") + " / " + count(pre + ".errors") + " |");
        }
        line("");
        line("| concurrency | ingest / HTTP ceiling (closed loop) | gateway CPU ms per accepted webhook (open) | CPU steal (open) | disk flushes per accepted webhook (closed / open) | ledger: sent = accepted + dup + rejected + errors (not sent) | gateway counted | balanced |");
        line("|---:|---:|---:|---:|---:|---|---:|---|");
        for (String c : concurrencies()) {
            String pre = "ingest.c" + c;
            line("| " + c + " | " + ratio(n(pre + ".closed.ok_per_s"), n("ceiling.c" + c + ".closed.ok_per_s")) + " | "
                    + dec(pre + ".open.gw_cpu_ms_per_ok") + " | " + pct(pre + ".open.steal_pct") + " | "
                    + dec(pre + ".closed.disk_flushes_per_ok") + " / " + dec(pre + ".open.disk_flushes_per_ok") + " | "
                    + count(pre + ".ledger.sent") + " = " + count(pre + ".ledger.ok") + " + " + count(pre + ".ledger.duplicate") + " + "
                    + count(pre + ".ledger.rejected") + " + " + count(pre + ".ledger.errors") + " (" + count(pre + ".ledger.not_sent") + ") | "
                    + count(pre + ".ledger.gateway_counted") + " | " + s(pre + ".ledger.balanced") + " |");
        }
        line("");
        line("Gateway CPU is its user + system time over the open-loop window (`/proc/<pid>/stat`) divided by the webhooks "
                + "accepted in it: unlike throughput, it does not move when the host takes CPU away (the steal column, from "
                + "`/proc/stat`, says how much it did).");
        line("");
        line("Disk flushes are the data disk's completed flush requests (`/proc/diskstats`) over the window divided by the "
                + "webhooks accepted in it: machine-wide, so anything else writing to the disk at the time is included.");
        line("");
        line("**The disk's own sync latency during the open-loop windows**: a probe in the load generator appends 1 KiB to a file "
                + "beside the data dirs and fdatasyncs it every 5 ms, as a journal commit does. A webhook is answered only after the "
                + "commit holding it is synced, so a sync stall of the disk holds every webhook in flight for as long; with 64 "
                + "connections at 5,000/s, the arrival rate outruns the answers whenever a sync takes over 64 / 5,000 s = 12.8 ms.");
        line("");
        line("The probe also notes how late it woke for each sync: when the host stops the machine's CPUs (steal), the gateway "
                + "stops too, and so does the probe, disk or no disk.");
        line("");
        line("| window | conc. | probe syncs | p50 ms | p99 ms | max ms | syncs ≥ 30 ms | probe woke ≥ 30 ms late (most ms) | CPU steal |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String c : concurrencies()) {
            for (String[] w : List.of(new String[] {"open", "0.9 × capacity"}, new String[] {"target", "target rate"})) {
                String pre = "ingest.c" + c + "." + w[0] + ".disk_probe";
                if (n(pre + ".syncs") == null) continue;
                line("| " + w[1] + " | " + c + " | " + count(pre + ".syncs") + " | " + ms(pre + ".p50_ms") + " | " + ms(pre + ".p99_ms")
                        + " | " + ms(pre + ".max_ms") + " | " + count(pre + ".stalls") + " | " + count(pre + ".late_pauses")
                        + " (" + ms(pre + ".late_max_ms") + ") | " + pct("ingest.c" + c + "." + w[0] + ".steal_pct") + " |");
            }
        }
        line("");
    }

    /** The disk probe's verdict on a window, for the latency target's row: empty when there was no probe. */
    private String diskProbe(String window) {
        String pre = window + ".disk_probe";
        if (n(pre + ".syncs") == null) return "";
        return "; in that window the disk's own syncs took at most " + ms(pre + ".max_ms") + " ms (" + count(pre + ".stalls")
                + " ≥ 30 ms) and the host took " + pct(window + ".steal_pct") + " of the CPU";
    }

    private String pct(String key) {
        Double v = n(key);
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", v);
    }

    private String dec(String key) {
        Double v = n(key);
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private void endToEnd() {
        line("## 3. End to end");
        line("");
        line("The same mix, with two subscriptions delivering to a receiver in the load generator (JDK HttpServer on "
                + "loopback, answering 204 at once): `bench-ce` (format cloudevents, every event) and `bench-bridge` (format "
                + "spaceos: SpaceOS events passed through plus the session.started/ended and schedule.created/cancelled events "
                + "of the other vendors; the rest are skipped by the gateway, " + s("e2e.workload.bridged_fixtures") + " of "
                + s("e2e.workload.fixtures") + " fixtures bridge). Sequence: closed-loop warm-up at concurrency "
                + s("e2e.concurrency") + ", drain, then a rate search: open-loop windows, each followed by a drain, from an "
                + "estimated rate up by a factor while a window passes (post-to-receipt p99 ≤ " + ms("e2e.search.latency_target_ms")
                + " ms and every event delivered), down while none has, then one window half-way between the fastest pass and "
                + "the slowest fail; the figures below are the fastest passing window's. "
                + "Post-to-receipt latency = time the receiver got the delivery − the request's scheduled send time, for every "
                + "event scheduled in the window.");
        line("");
        line("Starting rate: " + s("e2e.rate_basis") + ".");
        line("");
        line("Windows tried: " + s("e2e.search") + ". Reported: " + count("e2e.search.chosen_rate") + "/s"
                + ("true".equals(p.get("e2e.search.passed")) ? "." : " (none passed: the slowest tried)."));
        line("");
        line("| figure | value |");
        line("|---|---:|");
        line("| webhooks offered / accepted per s (open loop) | " + count("e2e.open.offered_per_s") + " / " + count("e2e.open.ok_per_s") + " |");
        line("| ingest answer p50 / p99 ms (open loop) | " + ms("e2e.open.p50_ms") + " / " + ms("e2e.open.p99_ms") + " |");
        line("| gateway CPU ms per accepted webhook, its deliveries included (open loop) / CPU steal | "
                + dec("e2e.open.gw_cpu_ms_per_ok") + " / " + pct("e2e.open.steal_pct") + " |");
        line("| **deliveries/s** in the window (both subscriptions) | **" + count("e2e.delivered_per_s") + "** |");
        line("| … cloudevents / bridged deliveries/s | " + count("e2e.ce_delivered_per_s") + " / " + count("e2e.bridge_delivered_per_s") + " |");
        line("| **post-to-receipt p50 / p99 ms**, all deliveries | **" + ms("e2e.lat.p50_ms") + " / " + ms("e2e.lat.p99_ms") + "** (p99.9 "
                + ms("e2e.lat.p999_ms") + ", max " + ms("e2e.lat.max_ms") + ") |");
        line("| … cloudevents p50 / p99 ms | " + ms("e2e.ce_lat.p50_ms") + " / " + ms("e2e.ce_lat.p99_ms") + " |");
        line("| … bridged p50 / p99 ms | " + ms("e2e.bridge_lat.p50_ms") + " / " + ms("e2e.bridge_lat.p99_ms") + " |");
        line("| backlog at the end of the window (accepted − delivered to bench-ce) | " + count("e2e.backlog_at_window_end") + " |");
        line("| warm-up, saturated second half (closed loop, c" + s("e2e.concurrency") + "): accepted/s, delivered to bench-ce/s, backlog at its end | "
                + count("e2e.warmup.ok_per_s") + " / " + count("e2e.warmup.ce_delivered_per_s") + " / " + count("e2e.warmup.backlog") + " |");
        line("| drain of that backlog with no ingest: events/s over its first 90% (" + dec("e2e.drain1.seconds") + " s in all) | "
                + count("e2e.drain1.ce_per_s") + " |");
        line("| drain after the window | " + dec("e2e.drain2.seconds") + " s, complete: " + s("e2e.drain2.complete") + " |");
        line("");
        line("Ledger over the whole phase:");
        line("");
        line("| sent | accepted | dup | rejected | errors | not sent | gateway counted | bench-ce expected / delivered / missing / repeats | bench-bridge expected / delivered / missing / unexpected / repeats | unmatched receipts | balanced |");
        line("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        line("| " + count("e2e.ledger.sent") + " | " + count("e2e.ledger.ok") + " | " + count("e2e.ledger.duplicate") + " | "
                + count("e2e.ledger.rejected") + " | " + count("e2e.ledger.errors") + " | " + count("e2e.ledger.not_sent") + " | "
                + count("e2e.ledger.gateway_counted") + " | "
                + count("e2e.ledger.ce_expected") + " / " + count("e2e.ledger.ce_delivered") + " / " + count("e2e.ledger.ce_missing") + " / "
                + count("e2e.ledger.ce_repeats") + " | " + count("e2e.ledger.bridge_expected") + " / " + count("e2e.ledger.bridge_delivered")
                + " / " + count("e2e.ledger.bridge_missing") + " / " + count("e2e.ledger.bridge_unexpected") + " / "
                + count("e2e.ledger.bridge_repeats") + " | " + count("e2e.ledger.unmatched_receipts") + " | " + s("e2e.ledger.balanced") + " |");
        line("");
        if (p.get("e2e.ledger.missing_examples") != null) line("Missing deliveries (first few): `" + s("e2e.ledger.missing_examples") + "`");
        line("");
        line("The gateway's own delivery counters at the end (`hookbridge_deliveries_total`): `" + s("e2e.gateway_deliveries") + "`");
        line("");
    }

    private void startupAndMemory() {
        line("## 4. Start-up and memory");
        line("");
        line("Start-up: from launching `java -jar` to the first `200` of `GET /actuator/health` (polled every 50 ms). Memory: "
                + "the gateway process's peak resident set (VmHWM from /proc, which includes start-up; VmRSS sampled every 200 ms "
                + "under load). Stop: SIGTERM to exit (143 = 128 + SIGTERM, the JVM's normal exit after its shutdown hooks ran).");
        line("");
        line("| gateway run | subscriptions | start-up to healthy s | Spring Boot's own log line | peak RSS (VmHWM) MiB | max sampled RSS under load MiB | stop s | exit code |");
        line("|---|---|---:|---|---:|---:|---:|---:|");
        for (String phase : phases()) {
            String g = "gw." + phase;
            Double st = n(g + ".startup_ms"), stop = n(g + ".stop_ms");
            line("| " + phase + " | " + s(g + ".routes") + " | " + (st == null ? "–" : String.format(Locale.ROOT, "%.2f", st / 1000)) + " | "
                    + s(g + ".spring_started") + " | " + mib(n(g + ".hwm_kb")) + " | " + mib(n(g + ".rss_max_kb")) + " | "
                    + (stop == null ? "–" : String.format(Locale.ROOT, "%.1f", stop / 1000)) + " | " + s(g + ".exit") + " |");
        }
        line("");
    }

    private void gatewayLogs() {
        line("## Gateway logs");
        line("");
        line("| gateway run | WARN lines | ERROR lines | log |");
        line("|---|---:|---:|---|");
        for (String phase : phases()) {
            String g = "gw." + phase;
            line("| " + phase + " | " + s(g + ".log_warn") + " | " + s(g + ".log_error") + " | `" + s(g + ".log") + "` |");
        }
        line("");
        for (String phase : phases()) {
            String sample = p.get("gw." + phase + ".log_sample");
            if (sample == null) continue;
            try {
                Path f = Path.of(sample);
                if (!Files.exists(f) || Files.size(f) == 0) continue;
                line("First WARN/ERROR lines of `" + phase + "`:");
                line("");
                line("```");
                for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) line(l.length() > 300 ? l.substring(0, 300) + " …" : l);
                line("```");
                line("");
            } catch (IOException e) {
                // leave it out
            }
        }
    }

    private void method() {
        line("## How it was measured");
        line("");
        line("- Closed loop: N connections, each sends its next request as soon as it has the answer; the figure is the answers "
                + "per second over the measured window after the warm-up (capacity at that concurrency). Its latencies are "
                + "closed-loop (they understate the tail) and are shown only for reference.");
        line("- Open loop: requests are due at a fixed rate (" + s("machine.rate_rule") + "), at most N in flight; latency runs "
                + "from each request's due time to its answer, so time spent waiting for a free connection counts (coordinated "
                + "omission corrected). Requests due in the window but not sent within 10 s after it are reported as not sent.");
        line("- Each body carries a unique marker (Attendee: its `idempotency_key`; the others: an extra top-level field "
                + "`bench_ref`), is signed the way its vendor signs, and is matched to its deliveries by that marker.");
        line("- The HTTP client is a minimal keep-alive HTTP/1.1 client on plain sockets (one per connection, reconnecting "
                + "when Tomcat closes a connection after 100 requests), to leave the two shared cores to the gateway.");
        line("- Data dirs: `" + s("machine.work_dir") + "` (the disk measured by the fsync ceiling).");
        line("");
    }
}
