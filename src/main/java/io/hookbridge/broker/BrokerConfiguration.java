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

/**
 * The broker side: the embedded ActiveMQ Classic broker (unless {@code hookbridge.broker.url} points at
 * an external one), the connection factories, and Camel's {@code activemq} component.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${hookbridge.broker.url:}'.isBlank()")
    EmbeddedBroker embeddedBroker(HookBridgeProperties properties, ApplicationContext parent) throws Exception {
        useIndexPageSize(properties.getBroker().getIndexPageBytes());
        return EmbeddedBroker.start(brokerConfig(properties.getBroker().getConfig()), parent);
    }

    /**
     * KahaDB re-marshals a whole index page on every insert into it: with its default 4 KiB pages that was ~40%
     * of the gateway's CPU end to end with a backlog (three B-tree inserts per message and queue). 1 KiB pages
     * cut that share to a fifth. KahaDB reads the size only from the system property {@code defaultPageSize},
     * once, when its page file class loads; a store keeps the page size it was created with.
     */
    static void useIndexPageSize(int bytes) {
        if (bytes < 512 || Integer.bitCount(bytes) != 1) {
            throw new IllegalStateException("hookbridge.broker.index-page-bytes: a power of two of at least 512, not " + bytes);
        }
        if (System.getProperty("defaultPageSize") == null) System.setProperty("defaultPageSize", Integer.toString(bytes));
    }

    private static Resource brokerConfig(String location) {
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) return new FileSystemResource(file);
        ClassPathResource packaged = new ClassPathResource("broker-config/activemq.xml");
        if (!packaged.exists()) {
            throw new IllegalStateException("hookbridge.broker.config: no broker configuration at " + file.toAbsolutePath());
        }
        return packaged;
    }

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
