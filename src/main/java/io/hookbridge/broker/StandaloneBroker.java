package io.hookbridge.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.apache.activemq.broker.BrokerService;
import org.apache.xbean.spring.context.ResourceXmlApplicationContext;
import org.springframework.core.io.FileSystemResource;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Runs HookBridge's broker configuration as a broker of its own, for several HookBridge instances to share:
 * <pre>
 * java -cp target/hookbridge.jar -Dloader.main=io.hookbridge.broker.StandaloneBroker \
 *      -Dhookbridge.data-dir=/var/lib/hookbridge-broker -Dhookbridge.broker.bind=0.0.0.0:61616 \
 *      org.springframework.boot.loader.launch.PropertiesLauncher broker-config/activemq.xml
 * </pre>
 * The {@code ${...}} placeholders of the XML are read from system properties and the environment.
 */
public final class StandaloneBroker {

    private StandaloneBroker() { }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args.length > 0 ? args[0] : "broker-config/activemq.xml");
        if (!Files.isRegularFile(config)) {
            System.err.println("no broker configuration at " + config.toAbsolutePath());
            System.exit(2);
        }
        BrokerConfiguration.useIndexPageSize(Integer.getInteger("hookbridge.broker.index-page-bytes",
                HookBridgeProperties.Broker.DEFAULT_INDEX_PAGE_BYTES));
        ResourceXmlApplicationContext context = new ResourceXmlApplicationContext(new FileSystemResource(config));
        BrokerService broker = context.getBean(BrokerService.class);
        if (!broker.isStarted()) broker.start();
        broker.waitUntilStarted();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
                broker.waitUntilStopped();
                context.close();
            } catch (Exception e) {
                System.err.println("broker stop: " + e);
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        System.out.println("HookBridge broker '" + broker.getBrokerName() + "' listening on "
                + broker.getTransportConnectorByName("openwire").getPublishableConnectString());
        stopped.await();
    }
}
