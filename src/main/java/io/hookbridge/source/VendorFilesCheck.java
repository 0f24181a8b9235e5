package io.hookbridge.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.core.io.FileSystemResource;

/**
 * The vendor files of {@code validate}: every {@code *.yaml} directly in the vendors dir read as a
 * {@link SourceDefinition} through {@link SourceRegistry}'s own loading and checks. The one place the validate
 * command knows how vendors are read: point it at the vendors loader when that changes.
 */
public final class VendorFilesCheck {

    /** @param problems {@code file:line: problem} lines; @param ids the vendor ids defined (formats a subscription may name) */
    public record Result(int files, List<String> problems, Set<String> ids) { }

    private VendorFilesCheck() { }

    public static Result check(Path vendorsDir) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        if (!Files.isDirectory(vendorsDir)) return new Result(0, problems, ids);
        List<Path> files;
        try (Stream<Path> list = Files.list(vendorsDir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            problems.add(vendorsDir + ":0: cannot list it: " + e.getMessage());
            return new Result(0, problems, ids);
        }
        for (Path file : files) {
            try {
                SourceDefinition definition = SourceRegistry.load(new FileSystemResource(file));
                if (!ids.add(definition.id)) problems.add(file + ":1: a second vendor with id '" + definition.id + "'");
            } catch (IOException | RuntimeException e) {
                problems.add(file + ":" + lineOf(e) + ": " + problemOf(e));
            }
        }
        return new Result(files.size(), problems, ids);
    }

    private static int lineOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json && json.getLocation() != null && json.getLocation().getLineNr() > 0) {
                return json.getLocation().getLineNr();
            }
        }
        return 1;
    }

    private static String problemOf(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause instanceof JsonProcessingException json ? json.getOriginalMessage() : cause.getMessage();
        return message == null ? cause.toString() : message.lines().findFirst().orElse(message);
    }
}
