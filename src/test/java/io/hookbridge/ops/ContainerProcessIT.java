package io.hookbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * The Dockerfile, built and run for real with podman: a signed webhook posted to the container is delivered to a
 * receiver on the host; SIGTERM stops the JVM cleanly; a new container on the same data volume still knows the
 * event (a duplicate) and still holds the event a receiver had not yet taken, which it then delivers. Then the
 * container is killed (SIGKILL) after 40 more webhooks, and a third one still knows and delivers every one.
 * <p>
 * Needs podman (installed and configured by {@code .ci/container-setup}, which {@code .ci/run} runs). Without it
 * the test is skipped on a developer's machine and fails under CI ({@code CI=true}). The build and every
 * podman command are logged to {@code target/container-it.log}.
 */
class ContainerProcessIT {

    static final String IMAGE = "localhost/hookbridge:test";
    static final String ADMIN_TOKEN = "container-admin-token";
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(40);

    @TempDir
    Path work;

    final Path log = Path.of("target", "container-it.log").toAbsolutePath();
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String volume = "hookbridge-it-data-" + suffix;
    final List<String> containers = new ArrayList<>();

    @Test
    void builtImageDeliversStopsOnSigtermAndKeepsDedupAndQueueOnItsVolumeThroughStopAndKill() throws Exception {
        requirePodman();
        String previous = imageId();
        long buildStarted = System.nanoTime();
        Result build = podman(BUILD_TIMEOUT, "build", "--isolation=chroot", "--format", "docker", "-t", IMAGE, ".");
        long buildSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - buildStarted);
        assertThat(build.exit()).as("podman build (see %s)", log).isZero();
        System.out.printf("container image built in %d s%n", buildSeconds);
        // the image this build replaced (the tag moved on): not kept, so repeated runs do not fill the disk
        if (!previous.isEmpty() && !previous.equals(imageId())) podman(Duration.ofMinutes(1), "rmi", previous);
        assertThat(podman(Duration.ofMinutes(1), "volume", "create", volume).exit()).isZero();

        try (TestReceiver receiver = new TestReceiver()) {
            // /now takes everything; /later refuses (503) until the container has been stopped, so its event waits on the queue
            receiver.answer(r -> Reply.of(r.path().equals("/later") ? 503 : 204));
            Path routes = new Routes()
                    .subscription("now", Map.of("url", receiver.url("/now")))
                    .subscription("later", Map.of("url", receiver.url("/later"), "maxAttempts", "20", "initialDelay", "120000"))
                    .writeTo(work.resolve("routes"));
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(routes, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(routes.resolve("subscriptions.yaml"), PosixFilePermissions.fromString("rw-r--r--"));

            int port = Gateway.freePort();
            String first = run(routes, port);
            String url = "http://127.0.0.1:" + port;
            awaitReady(first, url);

            assertThat(podman(Duration.ofSeconds(30), "exec", first, "id", "-un").out().strip()).as("runs as").isEqualTo("hookbridge");
            assertThat(podman(Duration.ofSeconds(30), "exec", first, "cat", "/proc/1/comm").out().strip())
                    .as("the JVM is PID 1, so SIGTERM reaches it").isEqualTo("java");
            assertThat(podman(Duration.ofSeconds(60), "healthcheck", "run", first).exit()).as("the image's HEALTHCHECK").isZero();
            Answer info = Http.get(url + "/actuator/info", Map.of());
            assertThat(info.json().at("/build/version").asText()).as(info.text()).isNotBlank();

            byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
            Answer accepted = Http.post(url + "/webhooks/iotum", body, VendorSigner.headers("iotum", body));
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            assertThat(accepted.json().get("duplicate").asBoolean()).isFalse();
            String id = accepted.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> receivedIds(receiver, "/now").contains(id));
            await().atMost(Duration.ofSeconds(30)).until(() -> receivedIds(receiver, "/later").contains(id));

            long stopStarted = System.nanoTime();
            Result stop = podman(Duration.ofSeconds(90), "stop", "--time", "60", first);
            long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
            assertThat(stop.exit()).isZero();
            int exitCode = Integer.parseInt(podman(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", first).out().strip());
            String firstLog = podman(Duration.ofSeconds(30), "logs", first).out();
            System.out.printf("container stopped by SIGTERM in %d ms, exit code %d%n", stoppedMillis, exitCode);
            assertThat(exitCode).as("stopped by SIGTERM (143) or exited cleanly (0), not killed (137)").isIn(0, 143);
            assertThat(stoppedMillis).as("well within the 60 s before podman would kill it").isLessThan(45_000);
            assertThat(firstLog).as("Spring's graceful shutdown ran").contains("Commencing graceful shutdown");

            receiver.answer(r -> Reply.of(204));
            String second = run(routes, port);
            awaitReady(second, url);
            // the event /later refused is still on its queue: the new container delivers it at once (its attempt 1)
            await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds(receiver, "/later").stream().filter(id::equals).count() == 2);
            Answer again = Http.post(url + "/webhooks/iotum", body, VendorSigner.headers("iotum", body));
            assertThat(again.status()).as(again.text()).isEqualTo(202);
            assertThat(again.json().get("id").asText()).isEqualTo(id);
            assertThat(again.json().get("duplicate").asBoolean()).as("the accepted id survived on the volume").isTrue();
            Thread.sleep(1_000);
            assertThat(receivedIds(receiver, "/now")).as("delivered once, not again after the restart").containsOnlyOnce(id);

            // killed outright (SIGKILL, no shutdown at all): every webhook answered 202 is still known and delivered
            List<byte[]> bodies = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] next = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
                Answer answer = Http.post(url + "/webhooks/iotum", next, VendorSigner.headers("iotum", next));
                assertThat(answer.status()).as(answer.text()).isEqualTo(202);
                bodies.add(next);
                ids.add(answer.json().get("id").asText());
            }
            assertThat(podman(Duration.ofSeconds(60), "kill", "--signal", "KILL", second).exit()).isZero();
            String third = run(routes, port);
            awaitReady(third, url);
            for (byte[] next : bodies) {
                Answer answer = Http.post(url + "/webhooks/iotum", next, VendorSigner.headers("iotum", next));
                assertThat(answer.json().get("duplicate").asBoolean()).as("accepted before the kill: " + answer.text()).isTrue();
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(receivedIds(receiver, "/now")).as("delivered to /now").containsAll(ids);
                assertThat(receivedIds(receiver, "/later")).as("delivered to /later").containsAll(ids);
            });
            System.out.printf("after SIGKILL: %d of %d accepted webhooks known as duplicates and delivered%n", ids.size(), ids.size());
        }
    }

    /** A new container of the image on the test's data volume, host networking, loopback ports; returns its name. */
    String run(Path routes, int port) throws Exception {
        String name = "hookbridge-it-" + suffix + "-" + containers.size();
        containers.add(name);
        List<String> command = new ArrayList<>(List.of("--runtime", "runc", "run", "-d", "--name", name, "--network=host",
                "-v", volume + ":/app/data", "-v", routes + ":/app/routes:ro",
                "-e", "SERVER_ADDRESS=127.0.0.1", "-e", "SERVER_PORT=" + port,
                "-e", "HOOKBRIDGE_BROKER_BIND=127.0.0.1:" + Gateway.freePort(),
                "-e", "HOOKBRIDGE_ADMIN_TOKEN=" + ADMIN_TOKEN));
        for (String source : VendorSigner.SOURCES) {
            command.addAll(List.of("-e", "HOOKBRIDGE_SOURCES_" + source.toUpperCase() + "_SECRET=" + VendorSigner.SECRETS.get(source)));
        }
        command.add(IMAGE);
        Result started = podman(Duration.ofMinutes(2), command.toArray(String[]::new));
        assertThat(started.exit()).as("podman run (see %s)", log).isZero();
        return name;
    }

    void awaitReady(String container, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int poll = 1; System.nanoTime() < deadline; poll++) {
            try {
                if (Http.get(url + "/actuator/health/readiness", Map.of()).status() == 200) return;
            } catch (RuntimeException notYet) {
                // still starting
            }
            Thread.sleep(500);
            if (poll % 10 != 0) continue;
            String state = podman(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}}", container).out().strip();
            if (!state.equals("running")) {
                fail("container " + container + " is " + state + ":\n" + podman(Duration.ofSeconds(30), "logs", container).out());
            }
        }
        fail("container " + container + " not ready within 120 s:\n" + podman(Duration.ofSeconds(30), "logs", container).out());
    }

    String imageId() throws Exception {
        Result inspect = podman(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Id}}", IMAGE);
        return inspect.exit() == 0 ? inspect.out().strip() : "";
    }

    static List<String> receivedIds(TestReceiver receiver, String path) {
        return receiver.received(path).stream().map(r -> r.header("webhook-id")).toList();
    }

    void requirePodman() {
        boolean present = Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "podman")));
        if (present) return;
        String why = "podman is not installed: run .ci/container-setup (as root) to build and run the image";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }

    record Result(int exit, String out) { }

    /** Runs podman in the project directory, its output appended to target/container-it.log and returned. */
    Result podman(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "podman", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text + (done ? "" : "(timed out)\n"),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!done) fail("podman " + args[0] + " took over " + timeout.toSeconds() + " s; see " + log);
        return new Result(process.exitValue(), text);
    }

    @AfterEach
    void removeContainersAndVolume() throws Exception {
        if (containers.isEmpty() && !volumeExists()) return;
        for (String container : containers) podman(Duration.ofSeconds(90), "rm", "--force", "--volumes", "--time", "10", container);
        podman(Duration.ofSeconds(60), "volume", "rm", "--force", volume);
    }

    private boolean volumeExists() throws Exception {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "podman")))
                && podman(Duration.ofSeconds(30), "volume", "exists", volume).exit() == 0;
    }
}
