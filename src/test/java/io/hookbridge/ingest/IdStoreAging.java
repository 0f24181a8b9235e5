package io.hookbridge.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.h2.mvstore.MVStore;

/**
 * The id store as it ages (run by {@code bench/id-store-aging}; not a test): days of new ids pass on a simulated
 * clock, in publisher-sized batches, with the daily prune, and for each day it prints the CPU the admitting
 * thread spent per new id over the second half of that day, and the file's size. bench/run's ingest runs last
 * minutes, so all their ids sit in one day's bucket; this shows what a store holding a whole retention costs.
 * <p>
 * The days pass in seconds, so MVStore's 45-s retention of replaced chunks (wall-clock time) is set to 0 here,
 * as if the days had really passed; without that the file only grows.
 */
public final class IdStoreAging {

    private static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        int idsPerDay = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        Path dir = Files.createTempDirectory("hookbridge-id-store-aging");
        Path file = dir.resolve("accepted-ids.mv");
        EventIdsTest.ManualClock clock = new EventIdsTest.ManualClock();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("id store aging: %,d new ids a day for %d days, 7-day retention, batches of %d (%s)%n",
                idsPerDay, days, BATCH, file);
        long sequence = 0;
        try (LocalEventIds ids = new LocalEventIds(file, Duration.ofDays(7), clock)) {
            storeOf(ids).setRetentionTime(0);
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
                System.out.printf("day %2d: admit %7.1f us CPU per new id, file %4d MB%n", d, micros, Files.size(file) >> 20);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static MVStore storeOf(LocalEventIds ids) throws ReflectiveOperationException {
        Field store = LocalEventIds.class.getDeclaredField("store");
        store.setAccessible(true);
        return (MVStore) store.get(ids);
    }
}
