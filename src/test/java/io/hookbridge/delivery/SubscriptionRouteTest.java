package io.hookbridge.delivery;

import static org.apache.camel.builder.Builder.constant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hookbridge.HookBridgeApplication;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Http;
import io.hookbridge.support.TestDirectories;
import io.hookbridge.support.VendorSigner;

/**
 * A subscription tested the Camel way, to copy for your own routes: the whole gateway starts with the route
 * files of src/test/resources/routes/advice-with, {@code AdviceWith} replaces the subscription's {@code {{url}}}
 * endpoint by {@code mock:crm} before Camel starts, a real signed webhook is posted, {@code NotifyBuilder} waits
 * until the route has handled it, and {@code MockEndpoint} checks what would have been sent.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = HookBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "hookbridge.broker.bind=127.0.0.1:0",
                "hookbridge.sources.iotum.secret=iotum-test-token",
                "hookbridge.sources.pencil.secret=pencil-test-secret",
        })
class SubscriptionRouteTest {

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.fresh(registry, "src/test/resources/routes/advice-with");
    }

    @Autowired
    CamelContext camelContext;

    @LocalServerPort
    int port;

    @Test
    void aParticipantEventReachesTheSubscriptionSignedAndASessionEventIsFilteredOut() throws Exception {
        // the template's one `to` step is the POST to {{url}}: replace it by a mock that answers 204 as a receiver
        // would (without an HTTP status the attempt counts as failed and is retried). weaveByToUri cannot match
        // "{{url}}" itself: a template parameter, resolved only as the route is created from the template.
        AdviceWith.adviceWith(camelContext, "crm", route -> route.weaveByType(ToDefinition.class).replace()
                .to("mock:crm").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(204)));
        camelContext.start();

        MockEndpoint crm = camelContext.getEndpoint("mock:crm", MockEndpoint.class);
        crm.expectedMessageCount(1);
        crm.expectedHeaderReceived("Content-Type", "application/cloudevents+json");
        crm.message(0).header("webhook-id").isNotNull();
        crm.message(0).header("webhook-signature").startsWith("v1,");
        crm.message(0).body(String.class).contains("\"type\":\"participant.joined\"");
        crm.setAssertPeriod(1000); // and nothing more arrives in the second after

        // the subscription takes participant.* only: session.started is filtered out before the route
        NotifyBuilder delivered = new NotifyBuilder(camelContext).fromRoute("crm").whenDone(1).create();
        post("iotum", "fixtures/iotum/conference_start.json");
        post("iotum", "fixtures/iotum/enter_conference.json");

        assertThat(delivered.matches(30, TimeUnit.SECONDS)).as("the crm route handled the participant event").isTrue();
        crm.assertIsSatisfied();
    }

    private void post(String source, String fixture) {
        byte[] body = Fixtures.unique(source, Fixtures.read(fixture));
        Http.Answer answer = Http.post("http://127.0.0.1:" + port + "/webhooks/" + source, body, VendorSigner.headers(source, body));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }
}
