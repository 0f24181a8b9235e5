package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookbridge.support.Gateway;

/** Start-up validation of route files: one message naming file, line and problem. */
class RoutesDirectoryTest {

    static final String VALID = """
            - templatedRoute:
                routeTemplateRef: webhook-subscription
                routeId: crm
                parameters:
                  name: crm
                  url: "https://crm.example.com/hooks"
                  types: "participant.*"
                  format: spaceos
                  maxAttempts: 3
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown parameter   | '      name: crm'                       | '      retries: 3'                               | 6 | unknown parameter 'retries'
            bad url             | '      url: "https://crm.example.com/hooks"' | '      url: "ftp//nowhere"'                | 6 | url must be an absolute http or https URL
            relative url        | '      url: "https://crm.example.com/hooks"' | '      url: "/hooks"'                      | 6 | url must be an absolute http or https URL
            unknown format      | '      format: spaceos'                 | '      format: zoom'                             | 8 | unknown format 'zoom'
            bad number          | '      maxAttempts: 3'                  | '      maxAttempts: 0'                           | 9 | maxAttempts must be an integer of at least 1
            not a number        | '      maxAttempts: 3'                  | '      maxAttempts: many'                        | 9 | maxAttempts must be an integer
            bad name            | '      name: crm'                       | '      name: CRM_Hooks'                          | 5 | name must match [a-z0-9-]+
            yaml syntax         | '      types: "participant.*"'          | '      types: "participant.*'                    | 7 | YAML syntax error
            """)
    void aBadSubscriptionNamesFileLineAndProblem(String what, String line, String replacement, int expectedLine, String problem) {
        String yaml = VALID.replace(line, replacement);
        assertThat(yaml).as("test case applies").isNotEqualTo(VALID);
        assertThatThrownBy(() -> RoutesDirectory.prepare("routes/crm.yaml", yaml, new HashMap<>(), null))
                .isInstanceOf(RouteConfigurationException.class)
                .hasMessageStartingWith("routes/crm.yaml:")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(lineOf(e.getMessage())).as(e.getMessage()).isBetween(expectedLine - 1, expectedLine + 1));
    }

    @Test
    void missingUrlIsNamed() {
        String yaml = VALID.replace("      url: \"https://crm.example.com/hooks\"\n", "");
        assertThatThrownBy(() -> RoutesDirectory.prepare("routes/crm.yaml", yaml, new HashMap<>(), null))
                .hasMessageContaining("parameter 'url' is required");
    }

    @Test
    void aDuplicateNameAcrossFilesNamesBoth() {
        Map<String, String> names = new HashMap<>();
        RoutesDirectory.prepare("routes/a.yaml", VALID, names, null);
        assertThatThrownBy(() -> RoutesDirectory.prepare("routes/b.yaml", VALID, names, null))
                .hasMessage("routes/b.yaml:5: duplicate subscription name 'crm' (first declared in routes/a.yaml:5)");
    }

    @Test
    void mapStyleParametersBecomeCamelsNameValueList() {
        String prepared = RoutesDirectory.prepare("routes/crm.yaml", VALID, new HashMap<>(), null);
        assertThat(prepared).contains("name: name").contains("value: \"crm\"").contains("name: maxAttempts").contains("value: \"3\"");
    }

    @Test
    void listStyleAndPlainRoutesPassUnchanged() {
        String yaml = """
                - route:
                    id: audit
                    from:
                      uri: "activemq:queue:Consumer.audit.VirtualTopic.hookbridge.events"
                      steps:
                        - log: "${body}"
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: audit-hook
                      - name: url
                        value: "http://127.0.0.1:9000/x"
                """;
        assertThat(RoutesDirectory.prepare("routes/x.yaml", yaml, new HashMap<>(), null)).isEqualTo(yaml);
    }

    @Test
    void anAllCommentedFileLoadsNothing() {
        assertThat(RoutesDirectory.prepare("routes/x.yaml", "# nothing here\n", new HashMap<>(), null)).isNull();
    }

    @Test
    void theGatewayRefusesToStartWithABadRouteFile(@TempDir Path dir) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("crm.yaml"), VALID.replace("format: spaceos", "format: zoom"));
        assertThatThrownBy(() -> Gateway.start(dir.resolve("data"), routes.toString()).close())
                .hasStackTraceContaining(routes.resolve("crm.yaml") + ":8: unknown format 'zoom'");
    }

    private static int lineOf(String message) {
        String rest = message.substring(message.indexOf(".yaml:") + 6);
        return Integer.parseInt(rest.substring(0, rest.indexOf(':')));
    }

    @Test
    void checkReportsSchemaAndSubscriptionProblemsByLine() {
        String yaml = """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "ftp://nowhere"
                - route:
                    id: audit
                    from:
                      uri: "activemq:queue:x"
                      steps:
                        - lgo: "${body}"
                """;
        assertThat(RoutesDirectory.check(Path.of("routes/x.yaml"), yaml, Map.of(), null, EventRenderers.formats()))
                .extracting(RouteProblem::toString)
                .containsExactly("routes/x.yaml:7: url must be an absolute http or https URL, found 'ftp://nowhere'",
                        "routes/x.yaml:13: unknown key 'lgo' at $[1].route.from.steps[0] (Camel YAML DSL schema)");
    }

    @Test
    void placeholdersAreLeftUncheckedWithoutACamelContext() {
        String yaml = VALID.replace("\"https://crm.example.com/hooks\"", "\"{{env:CRM_URL}}\"");
        assertThat(RoutesDirectory.check(Path.of("routes/x.yaml"), yaml, Map.of(), null, EventRenderers.formats())).isEmpty();
    }
}
