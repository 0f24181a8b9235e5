package io.hookbridge.ops;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.usage.SystemUsage;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.config.HookBridgeProperties;

/**
 * {@code broker} in {@code /actuator/health}: the embedded broker is started and its store has room, or a
 * connection to the external broker ({@code hookbridge.broker.url}) can be opened within a few seconds.
 */
@Component
public class BrokerHealthIndicator implements HealthIndicator, DisposableBean {

    static final Duration EXTERNAL_TIMEOUT = Duration.ofSeconds(3);

    private final ObjectProvider<EmbeddedBroker> embedded;
    private final ActiveMQConnectionFactory connectionFactory;
    private final HookBridgeProperties.Broker settings;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hookbridge-broker-health");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Void> pending;

    public BrokerHealthIndicator(ObjectProvider<EmbeddedBroker> embedded, ActiveMQConnectionFactory activeMqConnectionFactory,
                                 HookBridgeProperties properties) {
        this.embedded = embedded;
        this.connectionFactory = activeMqConnectionFactory;
        this.settings = properties.getBroker();
    }

    @Override
    public Health health() {
        EmbeddedBroker local = embedded.getIfAvailable();
        return local != null ? embeddedHealth(local) : externalHealth();
    }

    private Health embeddedHealth(EmbeddedBroker local) {
        BrokerService broker = local.broker();
        Health.Builder health = Health.unknown().withDetail("broker", "embedded").withDetail("name", broker.getBrokerName());
        if (!broker.isStarted() || broker.isStopping() || broker.isStopped()) {
            return health.down().withDetail("error", "the embedded broker is not running").build();
        }
        try {
            health.withDetail("openwire", local.openWireUrl());
        } catch (RuntimeException e) {
            return health.down().withDetail("error", "the embedded broker has no OpenWire connector").build();
        }
        SystemUsage usage = broker.getSystemUsage();
        int store = usage.getStoreUsage().getPercentUsage();
        health.withDetail("storePercentUsage", store).withDetail("memoryPercentUsage", usage.getMemoryUsage().getPercentUsage());
        if (store >= 100) return health.down().withDetail("error", "the broker's store is full: new events are refused").build();
        return health.up().build();
    }

    /**
     * Opens (and closes) a connection on a thread of its own, waiting at most {@link #EXTERNAL_TIMEOUT}: a
     * failover URL would otherwise block the health check as long as the broker is away. While one probe is still
     * hanging, the next checks wait on it rather than starting more.
     */
    private Health externalHealth() {
        Health.Builder health = Health.unknown().withDetail("broker", "external").withDetail("url", settings.getUrl());
        CompletableFuture<Void> probe;
        synchronized (this) {
            if (pending == null || pending.isDone()) pending = CompletableFuture.runAsync(this::connect, probes);
            probe = pending;
        }
        try {
            probe.get(EXTERNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return health.up().build();
        } catch (TimeoutException e) {
            return health.down().withDetail("error", "no connection within " + EXTERNAL_TIMEOUT.toSeconds() + " s").build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            return health.down().withDetail("error", String.valueOf(cause)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.down().withDetail("error", "interrupted").build();
        }
    }

    private void connect() {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
