package io.hookbridge.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * Opens the key-value files (H2's MVStore) a single instance keeps under its data dir: the delivery attempt log
 * ({@code io.hookbridge.admin.LocalAttemptLog}), and the accepted event ids of versions before the hash tables of
 * {@link LocalEventIds}, which it takes over once. Keys are an id's {@link #digest} rather than its text: each
 * random key rewrites a leaf of its map at the next write, and a leaf of 16-byte keys is a quarter the size of one
 * of 60-character ids. (Serializing those leaves was the largest CPU item of ingest after the broker; in a
 * 5,000-ids/s test of the B-tree id store alone, the digests halved its CPU per id and cut the bytes it writes to a
 * third.) {@link LocalEventIds} keys its hash tables by the same digest.
 */
public final class KeyValueFiles {

    /** How soon a change reaches the file; a crash can forget the changes of this last moment. */
    public static final int WRITE_DELAY_MS = 100;
    /** A page cache for a store whose recent pages are read again: the newest leaves its inserts fill. */
    public static final int SMALL_CACHE = 1;
    /** No page cache, for a store read once from end to end (an earlier version's id file, see {@link LocalEventIds}). */
    public static final int NO_CACHE = 0;
    private static final int KEYS_PER_PAGE = 16;
    private static final int WRITE_BUFFER_KB = 16 * 1024;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private KeyValueFiles() { }

    /** The first 128 bits of an id's SHA-256: a collision needs about 2^64 ids, not a concern within a retention. */
    public static UUID digest(String id) {
        ByteBuffer hash = ByteBuffer.wrap(SHA_256.get().digest(id.getBytes(StandardCharsets.UTF_8)));
        return new UUID(hash.getLong(), hash.getLong());
    }

    /** A {@link #digest} as a map key: 16 bytes on file, ordered by its bits. */
    public static final class DigestType extends BasicDataType<UUID> {
        public static final DigestType INSTANCE = new DigestType();

        private DigestType() { }

        @Override
        public int getMemory(UUID digest) {
            return 40;
        }

        @Override
        public void write(WriteBuffer buffer, UUID digest) {
            buffer.putLong(digest.getMostSignificantBits()).putLong(digest.getLeastSignificantBits());
        }

        @Override
        public UUID read(ByteBuffer buffer) {
            return new UUID(buffer.getLong(), buffer.getLong());
        }

        @Override
        public UUID[] createStorage(int size) {
            return new UUID[size];
        }

        @Override
        public int compare(UUID a, UUID b) {
            int high = Long.compare(a.getMostSignificantBits(), b.getMostSignificantBits());
            return high != 0 ? high : Long.compare(a.getLeastSignificantBits(), b.getLeastSignificantBits());
        }
    }

    /**
     * Random keys each land in their own leaf, and every leaf touched is rewritten at the next write. Small leaves
     * keep that cheap; a large write buffer leaves the writes to MVStore's background thread (past it, the thread
     * making the change would write the store itself, stalling ingest for ~0.5 s). A small page cache and a short
     * write delay let the leaves a key touches die young: a leaf read or changed lives until it is evicted or
     * written, and with 8 MB and 500 ms most outlived a young collection, so the old generation filled with them
     * (three times the full collections, ~150 ms each, at 5,000 webhooks/s).
     *
     * @param cacheMb the page cache; 0 for none ({@link #NO_CACHE}), when nearly every lookup misses it anyway
     * @throws IllegalStateException naming the file when its directory cannot be created
     */
    public static MVStore open(Path file, int cacheMb) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        MVStore store = new MVStore.Builder().fileName(file.toString()).cacheSize(cacheMb).keysPerPage(KEYS_PER_PAGE)
                .autoCommitBufferSize(WRITE_BUFFER_KB).open();
        store.setAutoCommitDelay(WRITE_DELAY_MS);
        return store;
    }

    /** A key of a fixed number of longs ({@code 8 * n} bytes on file), ordered by each in turn. */
    public static final class LongsKey extends BasicDataType<long[]> {
        public static final LongsKey FOUR = new LongsKey(4);

        private final int longs;

        private LongsKey(int longs) {
            this.longs = longs;
        }

        @Override
        public int getMemory(long[] key) {
            return 24 + 8 * longs;
        }

        @Override
        public void write(WriteBuffer buffer, long[] key) {
            for (long part : key) buffer.putLong(part);
        }

        @Override
        public long[] read(ByteBuffer buffer) {
            long[] key = new long[longs];
            for (int i = 0; i < longs; i++) key[i] = buffer.getLong();
            return key;
        }

        @Override
        public long[][] createStorage(int size) {
            return new long[size][];
        }

        @Override
        public int compare(long[] a, long[] b) {
            return java.util.Arrays.compare(a, b);
        }
    }
    /**
     * Sequence numbers by id, keyed by (block of 1,024 sequence numbers, the id's {@link #digest}, sequence number):
     * with the block first, new entries fill the newest few leaves, which stay cached, where keyed by the id first
     * each would land in a random leaf to be read back and rewritten. A lookup probes each block instead: about a
     * thousand B-tree seeks at a million entries, for a rare operator's request.
     */
    public static final class IdsByBlock {
        private static final int BLOCK_BITS = 10;

        private final MVMap<long[], Long> map;

        public IdsByBlock(MVStore store, String name) {
            this.map = store.openMap(name, new MVMap.Builder<long[], Long>().keyType(LongsKey.FOUR).valueType(LongDataType.INSTANCE));
        }

        public void put(UUID digest, long seq) {
            map.put(key(digest, seq), 0L);
        }

        public void remove(UUID digest, long seq) {
            map.remove(key(digest, seq));
        }

        /** Every sequence number filed under the digest, oldest first (a digest's few collisions included). */
        public List<Long> seqs(UUID digest) {
            List<Long> found = new ArrayList<>();
            long[] first = map.firstKey();
            long[] last = map.lastKey();
            if (first == null) return found;
            long[] probe = key(digest, 0);
            probe[3] = Long.MIN_VALUE;
            for (long block = first[0]; block <= last[0]; block++) {
                probe[0] = block;
                for (long[] key = map.ceilingKey(probe); key != null && key[0] == block && key[1] == probe[1] && key[2] == probe[2];
                        key = map.higherKey(key)) {
                    found.add(key[3]);
                }
            }
            return found;
        }

        private static long[] key(UUID digest, long seq) {
            return new long[] {seq >>> BLOCK_BITS, digest.getMostSignificantBits(), digest.getLeastSignificantBits(), seq};
        }
    }

    /** Writes a text that may be null (a flag, then modified UTF-8), for {@link #readText}. */
    public static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) out.writeUTF(text);
    }

    public static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
