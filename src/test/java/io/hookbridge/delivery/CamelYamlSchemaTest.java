package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Route files against Camel's own YAML DSL schema, the one Kaoto, Camel JBang and editors use. */
class CamelYamlSchemaTest {

    @Test
    void theSubscriptionTemplateAndTheShippedRouteFilesAreValidCamelYaml() throws Exception {
        String template = Files.readString(Path.of("src/main/resources/io/hookbridge/delivery/webhook-subscription.yaml"));
        assertThat(CamelYamlSchema.check("webhook-subscription.yaml", template)).isEmpty();
        assertThat(CamelYamlSchema.check("subscriptions.yaml", Files.readString(Path.of("routes/subscriptions.yaml")))).isEmpty();
    }

    @Test
    void hookBridgesMapFormOfParametersIsCheckedAsTheListItStandsFor() {
        assertThat(CamelYamlSchema.check("crm.yaml", RoutesDirectoryTest.VALID)).isEmpty();
    }

    @Test
    void eachProblemNamesItsLine() {
        List<RouteProblem> problems = CamelYamlSchema.check("b.yaml", """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    parameters:
                      - name: url
                        value: 3
                      - nam: x
                        value: y
                - route:
                    id: audit
                    from:
                      uri: "activemq:queue:x"
                      steps:
                        - lgo: "${body}"
                - rout:
                    id: x
                """);
        assertThat(problems).extracting(RouteProblem::toString).containsExactly(
                "b.yaml:5: integer found, string expected at $[0].templatedRoute.parameters[0].value (Camel YAML DSL schema)",
                "b.yaml:6: unknown key 'nam' at $[0].templatedRoute.parameters[1] (Camel YAML DSL schema)",
                "b.yaml:13: unknown key 'lgo' at $[1].route.from.steps[0] (Camel YAML DSL schema)",
                "b.yaml:14: unknown key 'rout' at $[2] (Camel YAML DSL schema)");
    }

    @Test
    void aFileOfCommentsHasNoProblem() {
        assertThat(CamelYamlSchema.check("x.yaml", "# nothing\n")).isEmpty();
    }
}
