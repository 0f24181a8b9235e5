package io.hookbridge.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * The subscriptions an operator has paused, kept in {@code <data dir>/subscriptions/paused} (one name a line), so a
 * paused subscription stays paused across a restart: its consumer does not open its queue until it is resumed.
 * Written to a new file and moved into place, so a crash leaves the old list or the new one.
 */
public class PausedSubscriptions {

    private final Path file;
    private final Set<String> paused = new TreeSet<>();

    public PausedSubscriptions(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) paused.add(line.strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the paused subscriptions in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public synchronized boolean isPaused(String subscription) {
        return paused.contains(subscription);
    }

    public synchronized Set<String> all() {
        return Set.copyOf(paused);
    }

    /** Records the subscription as paused or not, on disk before it returns. */
    public synchronized void set(String subscription, boolean isPaused) {
        if (isPaused ? !paused.add(subscription) : !paused.remove(subscription)) return;
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, paused.isEmpty() ? new byte[0] : (String.join("\n", paused) + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (isPaused) paused.remove(subscription);
            else paused.add(subscription);
            throw new UncheckedIOException("cannot record the paused subscriptions in " + file + ": " + e.getMessage(), e);
        }
    }
}
