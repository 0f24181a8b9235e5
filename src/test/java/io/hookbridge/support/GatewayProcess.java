package io.hookbridge.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged jar, run as a child process the way a user runs it: killed with SIGKILL or stopped with SIGTERM. */
public final class GatewayProcess implements AutoCloseable {

    private final List<String> command;
    private final Path log;
    private final int port;
    private Process process;
    private String crashPoint;

    public GatewayProcess(Path dataDir, Path routesDir, int port, int brokerPort, String... extraProperties) {
        this.port = port;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-gateway.log");
        String jar = System.getProperty("hookbridge.jar", "target/hookbridge.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no packaged jar at " + jar + ": run through `mvn verify` (failsafe runs after package)");
        }
        command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar", jar,
                "--server.port=" + port,
                "--hookbridge.data-dir=" + dataDir,
                "--hookbridge.routes-dir=" + routesDir,
                "--hookbridge.broker.bind=127.0.0.1:" + brokerPort));
        for (String secret : VendorSigner.secretProperties()) command.add("--" + secret);
        for (String extra : extraProperties) command.add("--" + extra);
        if (java.util.Arrays.stream(extraProperties).noneMatch(p -> p.startsWith("logging.level.io.hookbridge="))) {
            command.add("--logging.level.io.hookbridge=WARN");
        }
    }

    /**
     * From the next start on, the gateway halts at this crash point ({@code io.hookbridge.ops.CrashPoints}:
     * {@code <point>} or {@code <point>:<n>}); null: it runs without one.
     */
    public GatewayProcess crashAt(String point) {
        this.crashPoint = point;
        return this;
    }

    /** Starts the jar and waits until /actuator/health answers 200; returns the milliseconds that took. */
    public long start() throws Exception {
        long t0 = System.currentTimeMillis();
        List<String> command = new ArrayList<>(this.command);
        if (crashPoint != null) command.add(1, "-Dhookbridge.crash-point=" + crashPoint);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = t0 + 180_000; // generous: a loaded 2-core machine has taken over 60 s
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) return System.currentTimeMillis() - t0;
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway did not become healthy within 180 s; see " + log);
    }

    /** A broker of its own, from the same jar and broker-config/activemq.xml: for several gateways to share. */
    public static Process standaloneBroker(Path dataDir, int port) throws IOException {
        String jar = System.getProperty("hookbridge.jar", "target/hookbridge.jar");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", jar, "-Dloader.main=io.hookbridge.broker.StandaloneBroker",
                "-Dhookbridge.data-dir=" + dataDir, "-Dhookbridge.broker.bind=127.0.0.1:" + port,
                "org.springframework.boot.loader.launch.PropertiesLauncher", "broker-config/activemq.xml")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling("broker.log").toFile()))
                .start();
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; returns the exit code, or -1 if it had not exited within the timeout. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return -1;
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns its exit status, or -1 if it is still running after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return -1;
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public File log() {
        return log.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) kill();
    }
}
