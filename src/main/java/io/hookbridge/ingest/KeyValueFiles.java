package io.hookbridge.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.mvstore.MVStore;

/**
 * Opens the key-value files (H2's MVStore) a single instance keeps under its data dir: the accepted event ids
 * ({@link LocalEventIds}) and the delivery attempt log ({@code io.hookbridge.admin.LocalAttemptLog}). Both are
 * written on the hot path and both are keyed, at least in part, by random event ids, so they share one tuning.
 */
public final class KeyValueFiles {

    /** How soon a change reaches the file; a crash can forget the changes of this last moment. */
    public static final int WRITE_DELAY_MS = 100;
    private static final int CACHE_MB = 1;
    private static final int KEYS_PER_PAGE = 16;
    private static final int WRITE_BUFFER_KB = 16 * 1024;

    private KeyValueFiles() { }

    /**
     * Random keys each land in their own leaf, and every leaf touched is rewritten at the next write. Small leaves
     * keep that cheap; a large write buffer leaves the writes to MVStore's background thread (past it, the thread
     * making the change would write the store itself, stalling ingest for ~0.5 s). A small page cache and a short
     * write delay let the leaves a key touches die young: a leaf read or changed lives until it is evicted or
     * written, and with 8 MB and 500 ms most outlived a young collection, so the old generation filled with them
     * (three times the full collections, ~150 ms each, at 5,000 webhooks/s).
     *
     * @throws IllegalStateException naming the file when its directory cannot be created
     */
    public static MVStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        MVStore store = new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).keysPerPage(KEYS_PER_PAGE)
                .autoCommitBufferSize(WRITE_BUFFER_KB).open();
        store.setAutoCommitDelay(WRITE_DELAY_MS);
        return store;
    }
}
