package io.hookbridge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;

import io.hookbridge.HookBridgeApplication;

/**
 * The whole gateway on loopback: real HTTP on a random port, the real embedded broker on a random OpenWire
 * port with KahaDB in a fresh temporary directory (see {@link TestDirectories}), every source configured with {@link VendorSigner}'s secrets.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@CamelSpringBootTest
@SpringBootTest(classes = HookBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "hookbridge.broker.bind=127.0.0.1:0",
                "hookbridge.sources.pencil.secret=pencil-test-secret",
                "hookbridge.sources.iotum.secret=iotum-test-token",
                "hookbridge.sources.recordings.secret=recordings-test-secret",
                "hookbridge.sources.attendee.secret=c2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNA==",
                "hookbridge.sources.spaceos.secret=spaceos-test-secret",
                "hookbridge.admin.token=test-admin-token",
        })
public @interface GatewayTest {
}
