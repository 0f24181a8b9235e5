package io.hookbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

public final class TestDirectories {

    private TestDirectories() { }

    /** Call from a {@code @DynamicPropertySource} method: a fresh data dir per test class, and the routes to load. */
    public static Path fresh(DynamicPropertyRegistry registry, String routesDir) {
        try {
            Path data = Files.createTempDirectory("hookbridge-test-data");
            registry.add("hookbridge.data-dir", data::toString);
            registry.add("hookbridge.routes-dir", () -> routesDir);
            // brokers in one JVM share the in-VM transport's registry: every test gateway gets its own name
            registry.add("hookbridge.broker.name", () -> "hookbridge-" + data.getFileName());
            return data;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
