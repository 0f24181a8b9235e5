package io.hookbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar hookbridge.jar validate [routes-dir] [vendors-dir]}, run in process. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private int validate(String... args) {
        return ValidateCommand.run(List.of(args), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theShippedRoutesAndExamplesAreFine() {
        assertThat(validate("routes", dir.resolve("no-vendors").toString())).as(output.toString()).isZero();
        assertThat(lines()).containsExactly("ok: 1 route files, 0 vendor files");
    }

    @Test
    void everyProblemIsOneFileLineProblemLineAndTheExitCodeIsOne() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path vendors = Files.createDirectories(dir.resolve("vendors"));
        Files.writeString(routes.resolve("a.yaml"), """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "http://127.0.0.1:9000/hooks"
                      - name: format
                        value: zoom
                """);
        Files.writeString(routes.resolve("b.yaml"), """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "{{env:CRM_URL}}"
                - route:
                    from:
                      uri: "timer:x"
                      steps:
                        - lgo: "x"
                """);
        Files.writeString(routes.resolve("c.yaml"), "- route: {from: {uri: \"timer:x\", steps: [{log: \"x\"}]}\n");
        Files.writeString(routes.resolve("ignored.yml.txt"), "not a route file");
        Files.writeString(vendors.resolve("huddle.yaml"), "id: huddle\nauth: {scheme: nope, header: x}\n");

        assertThat(validate(routes.toString(), vendors.toString())).isEqualTo(1);
        assertThat(lines().get(0)).startsWith(vendors.resolve("huddle.yaml") + ":2: unknown auth.scheme 'nope'");
        assertThat(lines().get(1)).isEqualTo(vendors.resolve("huddle.yaml") + ":1: inbound.shapes needs at least one shape");
        assertThat(lines().subList(2, lines().size())).containsExactly(
                routes.resolve("a.yaml") + ":9: unknown format 'zoom' (known: attendee, cloudevents, iotum, pencil, recordings, spaceos)",
                routes.resolve("b.yaml") + ":12: unknown key 'lgo' at $[1].route.from.steps[0] (Camel YAML DSL schema)",
                routes.resolve("c.yaml") + ":1: YAML syntax error: while parsing a flow mapping: expected ',' or '}', but got <stream end>",
                "5 problems");
    }

    @Test
    void aDuplicateNameAcrossFilesIsNamed() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        String subscription = """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "http://127.0.0.1:9000/hooks"
                """;
        Files.writeString(routes.resolve("a.yaml"), subscription);
        Files.writeString(routes.resolve("b.yaml"), subscription);
        assertThat(validate(routes.toString())).isEqualTo(1);
        assertThat(lines()).containsExactly(
                routes.resolve("b.yaml") + ":5: duplicate subscription name 'crm' (first declared in " + routes.resolve("a.yaml") + ":5)",
                "1 problem");
    }

    @Test
    void aMissingRoutesDirIsAProblem() {
        assertThat(validate(dir.resolve("nowhere").toString())).isEqualTo(1);
        assertThat(lines()).containsExactly(dir.resolve("nowhere") + ":0: no such directory", "1 problem");
    }
}
