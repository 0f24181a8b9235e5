package io.hookbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Gateway;

/**
 * The packaged jar run the way a new user runs it: from a directory holding nothing of HookBridge's (no
 * broker-config/, no routes/), and with the usual start-up mistakes, each of which must be one message naming
 * what and where, never a stack trace.
 */
class StartupProcessIT {

    static final String JAR = Path.of(System.getProperty("hookbridge.jar", "target/hookbridge.jar")).toAbsolutePath().toString();

    @TempDir
    Path dir;

    @Test
    void theJarStartsFromAnEmptyDirectoryWithTheBuiltInBrokerConfiguration() throws Exception {
        int port = Gateway.freePort();
        Process gateway = start(List.of("--server.port=" + port, "--hookbridge.broker.bind=127.0.0.1:0"));
        try {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.currentTimeMillis() + 90_000;
            int status = 0;
            while (status != 200 && System.currentTimeMillis() < deadline && gateway.isAlive()) {
                try {
                    status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as(log()).isEqualTo(200);
            assertThat(dir.resolve("data/broker/kahadb")).isDirectory();
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokerPortInUseIsOneMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String output = failedStart(List.of("--server.port=0", "--hookbridge.broker.bind=127.0.0.1:" + taken.getLocalPort()));
            assertThat(output).contains("hookbridge.broker.bind: the embedded broker cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void anHttpPortInUseIsOneMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String output = failedStart(List.of("--server.port=" + taken.getLocalPort(), "--server.address=127.0.0.1",
                    "--hookbridge.broker.bind=127.0.0.1:0"));
            assertThat(output).contains("Port " + taken.getLocalPort() + " was already in use");
        }
    }

    @Test
    void aMissingBrokerConfigurationFileIsNamed() throws Exception {
        String output = failedStart(List.of("--server.port=0", "--hookbridge.broker.bind=127.0.0.1:0",
                "--hookbridge.broker.config=my-broker.xml"));
        assertThat(output).contains("hookbridge.broker.config: no file at " + dir.resolve("my-broker.xml"));
    }

    @Test
    void aBrokenBrokerConfigurationFileIsNamed() throws Exception {
        Files.writeString(dir.resolve("my-broker.xml"), "<beans><broker");
        String output = failedStart(List.of("--server.port=0", "--hookbridge.broker.bind=127.0.0.1:0",
                "--hookbridge.broker.config=my-broker.xml"));
        assertThat(output).contains("the embedded broker could not start from file [" + dir.resolve("my-broker.xml"));
    }

    @Test
    void aBadPropertyValueIsNamed() throws Exception {
        String output = failedStart(List.of("--server.port=0", "--hookbridge.broker.bind=127.0.0.1:0",
                "--hookbridge.broker.index-page-bytes=1000"));
        assertThat(output).contains("hookbridge.broker.index-page-bytes: a power of two of at least 512, not 1000");
        String unparsable = failedStart(List.of("--server.port=0", "--hookbridge.broker.publishers=two"));
        assertThat(unparsable).contains("hookbridge.broker.publishers").contains("two");
    }

    @Test
    void aBadRouteFileIsNamedWithItsLine() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("crm.yaml"), """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "ftp://nowhere"
                """);
        String output = failedStart(List.of("--server.port=0", "--hookbridge.broker.bind=127.0.0.1:0"));
        assertThat(output).contains("routes/crm.yaml:7: url must be an absolute http or https URL");
    }

    @Test
    void validateRunsWithoutTheGateway() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("crm.yaml"), """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "http://127.0.0.1:9/hooks"
                """);
        Process validate = new ProcessBuilder(java(), "-jar", JAR, "validate").directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(validate.getInputStream().readAllBytes());
        assertThat(validate.waitFor()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("ok: 1 route files, 0 vendor files");
        Files.writeString(routes.resolve("crm.yaml"), Files.readString(routes.resolve("crm.yaml")).replace("http://127.0.0.1:9/hooks", "nowhere"));
        validate = new ProcessBuilder(java(), "-jar", JAR, "validate", "routes", "vendors").directory(dir.toFile()).redirectErrorStream(true).start();
        output = new String(validate.getInputStream().readAllBytes());
        assertThat(validate.waitFor()).as(output).isEqualTo(1);
        assertThat(output.lines().toList()).containsExactly(
                "routes/crm.yaml:7: url must be an absolute http or https URL, found 'nowhere'", "1 problem");
    }

    /** Starts the jar in the test's directory; its output goes to gateway.log there. */
    private Process start(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", JAR));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile()).start();
    }

    /** Runs a start that must fail: exits non-zero, and its output has no stack trace. */
    private String failedStart(List<String> args) throws Exception {
        Process gateway = start(args);
        if (!gateway.waitFor(120, TimeUnit.SECONDS)) {
            gateway.destroyForcibly();
            throw new AssertionError("the gateway did not stop on its own: " + log());
        }
        String output = log();
        assertThat(gateway.exitValue()).as(output).isNotZero();
        assertThat(output).as("no stack trace").doesNotContainPattern("(?m)^\\s+at [a-z]+\\.");
        assertThat(output).contains("APPLICATION FAILED TO START");
        return output;
    }

    private String log() throws java.io.IOException {
        Path log = dir.resolve("gateway.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
