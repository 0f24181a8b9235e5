package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash-table file of accepted ids, on real files: probing across the table's end, revoking, reopening, filling up. */
class IdTableTest {

    @TempDir
    Path dir;

    @Test
    void entriesAreFoundAcrossTheEndOfTheTableAndAfterReopening() {
        Path file = dir.resolve("t.ids");
        long last = 63; // digests whose home is the last slot wrap around to the first ones
        List<long[]> digests = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        try (IdTable table = IdTable.create(file, 64, 1000, 2000)) {
            for (int i = 0; i < 40; i++) {
                long hi = random.nextLong();
                long lo = i < 10 ? (random.nextLong() & ~63L) | last : random.nextLong();
                digests.add(new long[] {hi, lo});
                assertThat(table.acceptedAt(hi, lo)).isEqualTo(Long.MIN_VALUE);
                table.insert(hi, lo, 1000 + i);
            }
            for (int i = 0; i < digests.size(); i++) assertThat(table.acceptedAt(digests.get(i)[0], digests.get(i)[1])).isEqualTo(1000 + i);
            assertThat(table.used()).isEqualTo(40);
        }
        try (IdTable table = IdTable.open(file)) {
            assertThat(table.used()).isEqualTo(40);
            assertThat(table.bucketStart()).isEqualTo(1000);
            assertThat(table.bucketEnd()).isEqualTo(2000);
            for (int i = 0; i < digests.size(); i++) assertThat(table.acceptedAt(digests.get(i)[0], digests.get(i)[1])).isEqualTo(1000 + i);
            assertThat(table.acceptedAt(1, 2)).as("never inserted").isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void theNewestEntryOfADigestIsFoundPastOthersOfTheSameHomeSlot() {
        try (IdTable table = IdTable.create(dir.resolve("r.ids"), 32, 0, 10)) {
            table.insert(5, 9, 100);
            table.insert(6, 9, 101); // same home slot: probed past the first
            table.insert(5, 9, 102);
            assertThat(table.acceptedAt(5, 9)).isEqualTo(102);
            assertThat(table.acceptedAt(6, 9)).isEqualTo(101);
        }
        try (IdTable table = IdTable.open(dir.resolve("r.ids"))) {
            assertThat(table.acceptedAt(5, 9)).as("the newest entry, after reopening").isEqualTo(102);
            assertThat(table.used()).isEqualTo(3);
        }
    }

    @Test
    void aTableIsFullAtSeventyPercentOfItsSlots() {
        try (IdTable table = IdTable.create(dir.resolve("f.ids"), 64, 0, 10)) {
            for (int i = 0; i < 43; i++) table.insert(i + 1, i * 31L, 1); // 70% of 64 slots: 44.8
            assertThat(table.isFull()).isFalse();
            table.insert(99, 99, 1);
            assertThat(table.isFull()).isTrue();
            assertThatThrownBy(() -> table.insert(100, 100, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        }
    }

    @Test
    void aFileThatIsNoIdTableIsRefusedByName() throws Exception {
        Path file = dir.resolve("0-10-000.ids");
        Files.write(file, new byte[8192]);
        assertThatThrownBy(() -> IdTable.open(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not an id table");
        assertThatThrownBy(() -> new LocalEventIds(dir, Duration.ofDays(7))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aTableCutShortWhileBeingMadeIsDiscarded() throws Exception {
        Path unfinished = dir.resolve("0-10-000.ids" + IdTable.UNFINISHED_SUFFIX);
        Files.write(unfinished, new byte[100]);
        try (LocalEventIds ids = new LocalEventIds(dir, Duration.ofDays(7))) {
            assertThat(ids.remember("iotum", "x")).isTrue();
        }
        assertThat(unfinished).doesNotExist();
    }

    @Test
    void aBucketThatOutgrowsItsTableGetsLargerOnesAndKeepsEveryId() {
        EventIdsTest.ManualClock clock = new EventIdsTest.ManualClock();
        int n = 2_000;
        try (LocalEventIds ids = new LocalEventIds(dir, Duration.ofDays(7), clock, 64)) {
            for (int i = 0; i < n; i += 50) {
                List<String> batch = new ArrayList<>();
                for (int j = i; j < i + 50; j++) batch.add(EventIds.key("pencil", "e" + j));
                assertThat(ids.admit(batch)).hasSize(50);
            }
            assertThat(ids.admit(List.of(EventIds.key("pencil", "e0"), EventIds.key("pencil", "e" + (n - 1))))).isEmpty();
        }
        // 64, 128, 256, 512, 1024, 2048 slots at 70%: 44 + 89 + 179 + 358 + 716 ids, then the sixth table
        assertThat(dir.toFile().list((d, name) -> name.endsWith(".ids"))).hasSize(6);
        try (LocalEventIds ids = new LocalEventIds(dir, Duration.ofDays(7), clock, 64)) {
            for (int i = 0; i < n; i++) assertThat(ids.remember("pencil", "e" + i)).as("e" + i).isFalse();
            assertThat(ids.remember("pencil", "e" + n)).isTrue();
            clock.now = clock.now.plus(Duration.ofDays(4));
            assertThat(ids.remember("pencil", "next-bucket")).isTrue();
        }
        // the next bucket's first table is sized for as many ids as the bucket before it holds (2,001: 4,096 slots)
        long biggest = 0;
        for (String name : dir.toFile().list((d, name) -> name.endsWith(".ids"))) biggest = Math.max(biggest, dir.resolve(name).toFile().length());
        assertThat(biggest).isEqualTo(IdTable.HEADER_BYTES + 4096L * IdTable.SLOT_BYTES);
    }
}
