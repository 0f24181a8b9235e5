package io.hookbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** camel-jsonpath is on the class path for integrators' own routes: a YAML route with a jsonpath filter loads and filters. */
class JsonPathRouteTest {

    static final String ROUTE = """
            - route:
                from:
                  uri: direct:events
                  steps:
                    - filter:
                        jsonpath: "$[?(@.type == 'participant.joined' && @.data.participant.role == 'host')]"
                        steps:
                          - setHeader:
                              name: subject
                              jsonpath: "$.subject"
                          - to: seda:hosts
            """;

    @Test
    void aYamlRouteFiltersWithJsonPath() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("routes/hosts.yaml", ROUTE));
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            producer.sendBody("direct:events", "{\"type\":\"participant.joined\",\"subject\":\"m-1\",\"data\":{\"participant\":{\"role\":\"guest\"}}}");
            producer.sendBody("direct:events", "{\"type\":\"participant.joined\",\"subject\":\"m-2\",\"data\":{\"participant\":{\"role\":\"host\"}}}");
            producer.sendBody("direct:events", "{\"type\":\"session.ended\",\"subject\":\"m-3\",\"data\":{}}");
            ConsumerTemplate consumer = camel.createConsumerTemplate();
            var passed = consumer.receive("seda:hosts", 5000);
            assertThat(passed).isNotNull();
            assertThat(passed.getMessage().getHeader("subject")).isEqualTo("m-2");
            assertThat(consumer.receive("seda:hosts", 500)).as("only the host's join passes").isNull();
        }
    }
}
