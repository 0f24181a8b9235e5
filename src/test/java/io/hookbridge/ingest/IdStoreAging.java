package io.hookbridge.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The id store as it ages (run by {@code bench/id-store-aging}; not a test): days of new ids pass on a simulated
 * clock, in publisher-sized batches, with the daily prune, and for each day it prints the CPU the admitting
 * thread spent per new id over the second half of that day, and the disk space of the tables. bench/run's ingest
 * runs last minutes, so all their ids sit in one bucket; this shows what a store holding a whole retention costs.
 */
public final class IdStoreAging {

    private static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        int idsPerDay = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        Path dir = Files.createTempDirectory("hookbridge-id-store-aging");
        Path store = dir.resolve("accepted-ids");
        EventIdsTest.ManualClock clock = new EventIdsTest.ManualClock();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("id store aging: %,d new ids a day for %d days, 7-day retention, batches of %d (%s)%n",
                idsPerDay, days, BATCH, store);
        long sequence = 0;
        try (LocalEventIds ids = new LocalEventIds(store, Duration.ofDays(7), clock)) {
            for (int d = 0; d < days; d++, clock.now = clock.now.plus(Duration.ofDays(1))) {
                ids.prune();
                long cpuAtHalf = 0;
                long idsAtHalf = 0;
                for (int i = 0; i < idsPerDay; i += BATCH) {
                    if (i / BATCH == idsPerDay / BATCH / 2) {
                        cpuAtHalf = threads.getCurrentThreadCpuTime();
                        idsAtHalf = sequence;
                    }
                    List<String> batch = new ArrayList<>(BATCH);
                    for (int j = 0; j < BATCH; j++, sequence++) batch.add(EventIds.key("pencil", "evt-" + sequence));
                    ids.admit(batch);
                }
                double micros = (threads.getCurrentThreadCpuTime() - cpuAtHalf) / 1_000.0 / (sequence - idsAtHalf);
                System.out.printf("day %2d: admit %7.1f us CPU per new id, tables %4d MB (%d)%n", d, micros,
                        tableBytes(store) >> 20, fileCount(store));
            }
        } finally {
            try (Stream<Path> files = Files.list(store)) {
                for (Path file : files.toList()) Files.delete(file);
            }
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /** The tables' sizes (sparse files: their disk blocks are taken as their slots are written). */
    private static long tableBytes(Path store) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.list(store)) {
            for (Path file : files.toList()) bytes += Files.size(file);
        }
        return bytes;
    }

    private static long fileCount(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.count();
        }
    }
}
