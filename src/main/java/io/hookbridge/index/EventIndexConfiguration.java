package io.hookbridge.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.delivery.SubscriptionEndpoint;
import io.hookbridge.ingest.IdempotencyConfiguration;

/** The event index: in the shared database when there is one (every instance sees every event), else an H2 file under the data dir. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventIndexProperties.class)
public class EventIndexConfiguration {

    @Bean
    EventIndex eventIndex(HookBridgeProperties properties, EventIndexProperties settings, MeterRegistry meters,
                          ObjectProvider<HikariDataSource> idempotencyDataSource, ObjectProvider<CamelContext> camel) {
        if (IdempotencyConfiguration.isShared(properties.getIdempotency())) {
            return new EventIndex(idempotencyDataSource.getObject(), false, settings, () -> scopes(camel.getIfAvailable()), meters);
        }
        Path file = Path.of(properties.getDataDir(), "index", "events").toAbsolutePath();
        HikariDataSource local = new HikariDataSource();
        local.setJdbcUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
        local.setUsername("sa");
        local.setPassword("");
        local.setMaximumPoolSize(4);
        local.setPoolName("hookbridge-event-index");
        try {
            return new EventIndex(local, true, settings, () -> scopes(camel.getIfAvailable()), meters);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    @Bean
    EventIndexConsumer eventIndexConsumer(ActiveMQConnectionFactory activeMqConnectionFactory, EventIndex eventIndex,
                                          EventIndexProperties settings, ObjectProvider<EmbeddedBroker> embedded) {
        return new EventIndexConsumer(activeMqConnectionFactory, eventIndex, settings, embedded);
    }

    /** Every subscription route's name and filter, as Camel has them now. */
    static List<SubscriptionScope> scopes(CamelContext camel) {
        List<SubscriptionScope> scopes = new ArrayList<>();
        if (camel == null) return scopes;
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof SubscriptionEndpoint e) {
                scopes.add(new SubscriptionScope(e.name(), e.getTypes(), e.getSources()));
            }
        }
        scopes.sort(java.util.Comparator.comparing(SubscriptionScope::name));
        return scopes;
    }
}
