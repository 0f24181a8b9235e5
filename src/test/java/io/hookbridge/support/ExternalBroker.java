package io.hookbridge.support;

import java.nio.file.Path;
import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;

/** A persistent ActiveMQ broker of the test's own on a loopback port, with HookBridge's default credentials. */
public final class ExternalBroker {

    private ExternalBroker() { }

    public static BrokerService start(Path dataDir, int port) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("external");
        broker.setDataDirectoryFile(dataDir.toFile());
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setPersistent(true);
        SimpleAuthenticationPlugin auth = new SimpleAuthenticationPlugin(List.of(new AuthenticationUser("hookbridge", "hookbridge", "hookbridge")));
        auth.setAnonymousAccessAllowed(false);
        broker.setPlugins(new BrokerPlugin[] {auth});
        broker.addConnector("tcp://127.0.0.1:" + port);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }
}
