package io.hookbridge.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.delivery.SubscriptionEndpoint;
import io.hookbridge.ingest.IdempotencyConfiguration;

/** The event index: in the shared database when there is one (every instance sees every event), else a key-value file under the data dir. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventIndexProperties.class)
public class EventIndexConfiguration {

    @Bean
    EventIndex eventIndex(HookBridgeProperties properties, EventIndexProperties settings, MeterRegistry meters,
                          ObjectProvider<HikariDataSource> idempotencyDataSource, ObjectProvider<CamelContext> camel) {
        if (settings.isEnabled() && IdempotencyConfiguration.isShared(properties.getIdempotency())) {
            return new SharedEventIndex(idempotencyDataSource.getObject(), settings, () -> scopes(camel.getIfAvailable()), meters);
        }
        return new LocalEventIndex(Path.of(properties.getDataDir(), "index", "events.mv").toAbsolutePath(), settings,
                () -> scopes(camel.getIfAvailable()), meters);
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
