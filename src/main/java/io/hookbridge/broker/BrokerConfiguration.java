package io.hookbridge.broker;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.apache.camel.component.activemq6.ActiveMQComponent;
import org.apache.xbean.spring.context.ResourceXmlApplicationContext;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.config.StartupFailure;

/**
 * The broker side: the embedded ActiveMQ Classic broker (unless {@code hookbridge.broker.url} points at
 * an external one), the connection factories, and Camel's {@code activemq} component.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${hookbridge.broker.url:}'.isBlank()")
    EmbeddedBroker embeddedBroker(HookBridgeProperties properties, ApplicationContext parent) {
        useIndexPageSize(properties.getBroker().getIndexPageBytes());
        Resource config = brokerConfig(properties.getBroker().getConfig());
        checkPortFree(properties.getBroker().getBind());
        try {
            return EmbeddedBroker.start(config, parent);
        } catch (Exception e) {
            throw brokerStartFailure(e, config, properties.getBroker().getBind());
        }
    }

    /**
     * A taken port found before ActiveMQ tries it: ActiveMQ logs its own bind failure with a stack trace. (The
     * check and the broker's bind are not atomic; a port taken in between still ends in {@link #brokerStartFailure}.)
     */
    static void checkPortFree(String bind) {
        int colon = bind.lastIndexOf(':');
        if (colon < 0) return;
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new StartupFailure("hookbridge.broker.bind: host:port expected, not '" + bind + "'", "Set it to e.g. 127.0.0.1:61616.");
        }
        if (port == 0) return;
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind.substring(0, colon), port));
        } catch (java.io.IOException e) {
            throw new StartupFailure("hookbridge.broker.bind: the embedded broker cannot listen on " + bind + " (" + e.getMessage() + ")",
                    "Stop what uses that port, or set hookbridge.broker.bind to a free host:port (127.0.0.1:0 for any).");
        }
    }

    /** What stopped the embedded broker, said once: the port it could not take, or the file it could not use. */
    static StartupFailure brokerStartFailure(Exception e, Resource config, String bind) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return new StartupFailure("hookbridge.broker.bind: the embedded broker cannot listen on " + bind + " ("
                        + StartupFailure.rootMessage(t) + ")",
                        "Stop what uses that port, or set hookbridge.broker.bind to a free host:port (127.0.0.1:0 for any).");
            }
        }
        return new StartupFailure("the embedded broker could not start from " + config.getDescription() + ": "
                + StartupFailure.rootMessage(e),
                "Fix that broker configuration (hookbridge.broker.config), or remove it to use the built-in one.");
    }

    /**
     * KahaDB re-marshals a whole index page on every insert into it: with its default 4 KiB pages that was ~40%
     * of the gateway's CPU end to end with a backlog (three B-tree inserts per message and queue). 1 KiB pages
     * cut that share to a fifth. KahaDB reads the size only from the system property {@code defaultPageSize},
     * once, when its page file class loads; a store keeps the page size it was created with.
     */
    static void useIndexPageSize(int bytes) {
        if (bytes < 512 || Integer.bitCount(bytes) != 1) {
            throw new StartupFailure("hookbridge.broker.index-page-bytes: a power of two of at least 512, not " + bytes,
                    "Set it to 512, 1024 (the default), 2048 or 4096.");
        }
        if (System.getProperty("defaultPageSize") == null) System.setProperty("defaultPageSize", Integer.toString(bytes));
    }

    /**
     * The broker configuration: the file hookbridge.broker.config names; with the default location and no such
     * file (the jar run from another directory), the copy of broker-config/activemq.xml built into the jar.
     */
    static Resource brokerConfig(String location) {
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            if (!Files.isReadable(file)) {
                throw new StartupFailure("hookbridge.broker.config: cannot read " + file.toAbsolutePath(),
                        "Make the file readable by this user, or point hookbridge.broker.config at another.");
            }
            return new FileSystemResource(file);
        }
        if (!location.equals(HookBridgeProperties.Broker.DEFAULT_CONFIG)) {
            throw new StartupFailure("hookbridge.broker.config: no file at " + file.toAbsolutePath(),
                    "Point hookbridge.broker.config at an ActiveMQ XML file, or leave it unset for the built-in configuration.");
        }
        return new ClassPathResource(BUILT_IN_CONFIG);
    }

    /** broker-config/activemq.xml as packaged into the jar (pom.xml copies it). */
    static final String BUILT_IN_CONFIG = "broker-config/activemq.xml";

    /** Plain (unpooled) factory: the publishers hold their own long-lived connections. */
    @Bean
    ActiveMQConnectionFactory activeMqConnectionFactory(HookBridgeProperties properties,
                                                        ObjectProvider<EmbeddedBroker> embedded) {
        HookBridgeProperties.Broker broker = properties.getBroker();
        EmbeddedBroker local = embedded.getIfAvailable();
        String url = local != null
                ? "vm://" + local.broker().getBrokerName() + "?create=false&waitForStart=10000"
                : broker.getUrl();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.getUser(), broker.getPassword(), url);
        factory.setWatchTopicAdvisories(false);
        // persistent sends outside a transaction wait for the broker; inside one (the publishers' group commit)
        // they stream and the commit is the acknowledged, synced point
        factory.setUseAsyncSend(false);
        factory.setNonBlockingRedelivery(true);
        RedeliveryPolicy noClientRedelivery = new RedeliveryPolicy();
        noClientRedelivery.setMaximumRedeliveries(-1);
        factory.setRedeliveryPolicy(noClientRedelivery);
        return factory;
    }

    @Bean(destroyMethod = "stop")
    JmsPoolConnectionFactory pooledConnectionFactory(ActiveMQConnectionFactory activeMqConnectionFactory) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(activeMqConnectionFactory);
        pool.setMaxConnections(8);
        pool.setMaxSessionsPerConnection(500);
        return pool;
    }

    /** Camel's {@code activemq:} endpoints, used by the routes (delivery, JMS publish). */
    @Bean("activemq")
    ActiveMQComponent activemq(JmsPoolConnectionFactory pooledConnectionFactory) {
        ActiveMQComponent component = new ActiveMQComponent();
        component.setConnectionFactory((ConnectionFactory) pooledConnectionFactory);
        component.setDeliveryPersistent(true);
        return component;
    }

    /** The embedded broker, started from an ActiveMQ XML file whose ${...} placeholders see HookBridge's properties. */
    public static final class EmbeddedBroker implements AutoCloseable {
        private final ResourceXmlApplicationContext context;
        private final BrokerService broker;

        private EmbeddedBroker(ResourceXmlApplicationContext context, BrokerService broker) {
            this.context = context;
            this.broker = broker;
        }

        static EmbeddedBroker start(Resource config, ApplicationContext parent) throws Exception {
            ResourceXmlApplicationContext context = new ResourceXmlApplicationContext(config, parent);
            BrokerService broker = context.getBean(BrokerService.class);
            if (!broker.isStarted()) broker.start();
            broker.waitUntilStarted();
            return new EmbeddedBroker(context, broker);
        }

        public BrokerService broker() { return broker; }

        /** The OpenWire address clients outside the process connect to (the real port when bound to :0). */
        public String openWireUrl() {
            try {
                return broker.getTransportConnectorByName("openwire").getPublishableConnectString();
            } catch (Exception e) {
                throw new IllegalStateException("embedded broker has no openwire connector", e);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                broker.stop();
                broker.waitUntilStopped();
            } finally {
                context.close();
            }
        }
    }
}
