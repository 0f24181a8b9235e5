package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** The typed parameter table and the template Camel loads say the same: names, defaults, required. */
class SubscriptionParametersTest {

    @Test
    void theTypedTableMatchesTheTemplatesParameters() throws Exception {
        JsonNode template;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("io/hookbridge/delivery/webhook-subscription.yaml")) {
            template = new ObjectMapper(new YAMLFactory()).readTree(in).get(0).get("routeTemplate");
        }
        Map<String, String> templateDefaults = new LinkedHashMap<>();
        Map<String, String> tableDefaults = new LinkedHashMap<>();
        for (JsonNode parameter : template.get("parameters")) {
            String name = parameter.get("name").asText();
            templateDefaults.put(name, parameter.path("required").asBoolean() ? "<required>" : parameter.get("defaultValue").asText());
        }
        SubscriptionParameters.all().forEach((name, p) ->
                tableDefaults.put(name, SubscriptionParameters.required().contains(name) ? "<required>" : p.defaultValue()));
        assertThat(tableDefaults).containsExactlyEntriesOf(templateDefaults);
        assertThat(SubscriptionParameters.all().get("secret").secret()).isTrue();
    }

    @Test
    void numbersAreCheckedByTypeAndMinimum() {
        assertThat(SubscriptionParameters.problem("maxAttempts", "3")).isNull();
        assertThat(SubscriptionParameters.problem("maxAttempts", "0")).isEqualTo("maxAttempts must be an integer of at least 1, found '0'");
        assertThat(SubscriptionParameters.problem("maxAttempts", "2.5")).startsWith("maxAttempts must be an integer");
        assertThat(SubscriptionParameters.problem("backoffMultiplier", "1.5")).isNull();
        assertThat(SubscriptionParameters.problem("backoffMultiplier", "0.5")).isEqualTo("backoffMultiplier must be a number of at least 1.0, found '0.5'");
        assertThat(SubscriptionParameters.problem("url", "anything")).isNull();
    }
}
