package io.hookbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One file of accepted event ids: an open-addressed hash table of 32-byte slots (the id's 128-bit digest, its
 * acceptance time, 8 bytes spare), probed linearly, read and written with positional I/O. A new id costs one
 * 32-byte {@code pwrite}: which slots are taken, and which digests may be present (a Bloom filter), are kept in
 * the heap (about 1.5 and 10–20 bits per id), so a lookup reads the file only when the filter says the digest may be
 * there. Both are rebuilt by reading the file once when it is opened.
 * <p>
 * A table is filled to {@value #MAX_LOAD_PERCENT}% of its slots and never grows: {@link LocalEventIds} then starts
 * another one. Slots are 32 bytes so that none straddles a 4 KiB page: an entry reaches the disk whole or not at
 * all. A slot of all zeros is empty. (Earlier versions revoked an entry by giving it the time {@code Long.MIN_VALUE},
 * older than any retention: such an entry still reads as unseen.)
 */
final class IdTable implements AutoCloseable {

    static final int SLOT_BYTES = 32;
    static final int HEADER_BYTES = 4096;
    static final int MAX_LOAD_PERCENT = 70;
    /** "HBIDTBL1" */
    private static final long MAGIC = 0x4842494454424C31L;
    private static final int FORMAT = 1;
    private static final int PROBE_SLOTS = 16;
    private static final int FILTER_BITS_PER_ID = 10;
    private static final int FILTER_HASHES = 6;
    private static final int SCAN_BYTES = 1 << 16;
    /** What a table's file is called while {@link #create} makes it. */
    static final String UNFINISHED_SUFFIX = ".new";

    private final Path file;
    private final FileChannel channel;
    private final long slots;
    private final long mask;
    private final long bucketStart;
    private final long bucketEnd;
    private final long[] taken;
    private final long[] filter;
    private final long filterBlockMask;
    private long used;
    private final ByteBuffer probe = ByteBuffer.allocateDirect(PROBE_SLOTS * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer entry = ByteBuffer.allocateDirect(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    private IdTable(Path file, FileChannel channel, long slots, long bucketStart, long bucketEnd) {
        if (Long.bitCount(slots) != 1 || slots < PROBE_SLOTS) throw new IllegalArgumentException("slots: a power of two >= 16, not " + slots);
        this.file = file;
        this.channel = channel;
        this.slots = slots;
        this.mask = slots - 1;
        this.bucketStart = bucketStart;
        this.bucketEnd = bucketEnd;
        this.taken = new long[(int) ((slots + 63) >>> 6)];
        long filterBits = Long.highestOneBit(Math.max(512, slots * MAX_LOAD_PERCENT / 100 * FILTER_BITS_PER_ID) * 2 - 1);
        this.filter = new long[(int) (filterBits >>> 6)];
        this.filterBlockMask = (filterBits >>> 9) - 1;
    }

    /**
     * A new, empty table of {@code slots} slots (a power of two) for ids accepted in [bucketStart, bucketEnd). It is
     * written under a temporary name and renamed once its header is on disk, so a table file is never half made.
     */
    static IdTable create(Path file, long slots, long bucketStart, long bucketEnd) {
        Path unfinished = file.resolveSibling(file.getFileName() + UNFINISHED_SUFFIX);
        FileChannel channel = null;
        try {
            Files.deleteIfExists(unfinished);
            channel = FileChannel.open(unfinished, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            IdTable table = new IdTable(file, channel, slots, bucketStart, bucketEnd);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC).putInt(FORMAT).putInt(SLOT_BYTES).putLong(slots).putLong(bucketStart).putLong(bucketEnd).clear();
            writeFully(channel, header, 0);
            // the slots stay a hole until written: the file takes disk space as they fill
            writeFully(channel, ByteBuffer.allocate(1), HEADER_BYTES + slots * SLOT_BYTES - 1);
            channel.force(true);
            Files.move(unfinished, file, StandardCopyOption.ATOMIC_MOVE);
            return table;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot create the id table " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a table written before, reading it once to rebuild which slots are taken and the filter.
     *
     * @throws IllegalStateException naming the file when it is not an id table of this format, or is cut short
     */
    static IdTable open(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            header.flip();
            if (header.remaining() < 40 || header.getLong() != MAGIC) throw new IllegalStateException("not an id table");
            int format = header.getInt();
            int slotBytes = header.getInt();
            if (format != FORMAT || slotBytes != SLOT_BYTES) {
                throw new IllegalStateException("format " + format + " with " + slotBytes + "-byte slots; this version reads format " + FORMAT);
            }
            long slots = header.getLong();
            long start = header.getLong();
            long end = header.getLong();
            if (Long.bitCount(slots) != 1 || slots < PROBE_SLOTS || channel.size() < HEADER_BYTES + slots * SLOT_BYTES) {
                throw new IllegalStateException(slots + " slots in a file of " + channel.size() + " bytes");
            }
            IdTable table = new IdTable(file, channel, slots, start, end);
            table.load();
            return table;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new IllegalStateException("the id table " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void load() throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(SCAN_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long total = slots * SLOT_BYTES;
        for (long offset = 0; offset < total; offset += SCAN_BYTES) {
            block.clear().limit((int) Math.min(SCAN_BYTES, total - offset));
            readFully(channel, block, HEADER_BYTES + offset);
            block.flip();
            for (long slot = offset / SLOT_BYTES; block.remaining() >= SLOT_BYTES; slot++) {
                long hi = block.getLong();
                long lo = block.getLong();
                block.getLong();
                block.getLong();
                if (hi != 0 || lo != 0) {
                    markTaken(slot);
                    addToFilter(hi, lo);
                }
            }
        }
    }

    long bucketStart() { return bucketStart; }

    long bucketEnd() { return bucketEnd; }

    long slots() { return slots; }

    /** Slots holding an entry. */
    long used() { return used; }

    boolean isFull() {
        return used >= slots / 100 * MAX_LOAD_PERCENT + (slots % 100) * MAX_LOAD_PERCENT / 100;
    }

    /** @return the newest acceptance time recorded for the digest, or {@link Long#MIN_VALUE} if none */
    long acceptedAt(long hi, long lo) {
        if (!mayContain(hi, lo)) return Long.MIN_VALUE;
        long newest = Long.MIN_VALUE;
        long slot = lo & mask;
        try {
            for (long probed = 0; probed < slots; ) {
                int n = (int) Math.min(PROBE_SLOTS, slots - slot);
                probe.clear().limit(n * SLOT_BYTES);
                readFully(channel, probe, HEADER_BYTES + slot * SLOT_BYTES);
                probe.flip();
                for (int i = 0; i < n; i++) {
                    long h = probe.getLong();
                    long l = probe.getLong();
                    long at = probe.getLong();
                    probe.getLong();
                    if (h == 0 && l == 0) return newest;
                    if (h == hi && l == lo && at > newest) newest = at;
                }
                probed += n;
                slot = (slot + n) & mask;
            }
            return newest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the id table " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records the digest as accepted at {@code at}, in the first free slot of its probe sequence; the table must not be full. */
    void insert(long hi, long lo, long at) {
        if (isFull()) throw new IllegalStateException("the id table " + file + " is full");
        long slot = lo & mask;
        while (isTaken(slot)) slot = (slot + 1) & mask;
        entry.clear();
        entry.putLong(hi).putLong(lo).putLong(at).putLong(0).flip();
        try {
            writeFully(channel, entry, HEADER_BYTES + slot * SLOT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the id table " + file + ": " + e.getMessage(), e);
        }
        markTaken(slot);
        addToFilter(hi, lo);
    }

    private boolean isTaken(long slot) {
        return (taken[(int) (slot >>> 6)] & (1L << slot)) != 0;
    }

    private void markTaken(long slot) {
        taken[(int) (slot >>> 6)] |= 1L << slot;
        used++;
    }

    // A blocked Bloom filter: the digest is uniformly random, so its high half picks a 512-bit block (one cache
    // line) and six 9-bit pieces of its low half the bits in it; a lookup touches one line of memory, not six.
    private void addToFilter(long hi, long lo) {
        int block = (int) (hi & filterBlockMask) << 3;
        for (int i = 0; i < FILTER_HASHES; i++) {
            int bit = (int) (lo >>> (9 * i)) & 511;
            filter[block + (bit >>> 6)] |= 1L << bit;
        }
    }

    private boolean mayContain(long hi, long lo) {
        int block = (int) (hi & filterBlockMask) << 3;
        for (int i = 0; i < FILTER_HASHES; i++) {
            int bit = (int) (lo >>> (9 * i)) & 511;
            if ((filter[block + (bit >>> 6)] & (1L << bit)) == 0) return false;
        }
        return true;
    }

    /** Flushes the table to disk and closes it. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) channel.force(false);
        } catch (IOException ignored) {
            // closing anyway: what the operating system holds reaches the disk on its own
        } finally {
            closeQuietly(channel);
        }
    }

    /** Closes and deletes the file. */
    void delete() {
        closeQuietly(channel);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the id table " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) throw new java.io.EOFException("the file ends at byte " + position);
            position += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) position += channel.write(buffer, position);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
