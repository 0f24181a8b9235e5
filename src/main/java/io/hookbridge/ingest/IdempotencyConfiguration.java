package io.hookbridge.ingest;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Where accepted event ids ({@link EventIds}) and the delivery attempt log live: with
 * {@code hookbridge.idempotency.jdbc-url} set, in that database (PostgreSQL, shared by every instance when scaling
 * out); unset, under the data dir — ids in a key-value file, the attempt log in an H2 file database.
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource idempotencyDataSource(HookBridgeProperties properties) {
        HookBridgeProperties.Idempotency settings = properties.getIdempotency();
        HikariDataSource dataSource = new HikariDataSource();
        String url = settings.getJdbcUrl();
        if (!isShared(settings)) {
            Path file = Path.of(properties.getDataDir(), "idempotency", "event-ids").toAbsolutePath();
            url = "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(settings.getJdbcUser());
        dataSource.setPassword(settings.getJdbcPassword());
        dataSource.setMaximumPoolSize(16);
        dataSource.setPoolName("hookbridge-idempotency");
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    EventIds eventIds(HookBridgeProperties properties, HikariDataSource idempotencyDataSource) {
        HookBridgeProperties.Idempotency settings = properties.getIdempotency();
        if (isShared(settings)) return new JdbcEventIds(idempotencyDataSource, properties);
        Path file = Path.of(properties.getDataDir(), "idempotency", "accepted-ids.mv").toAbsolutePath();
        return new LocalEventIds(file, settings.getRetention());
    }

    private static boolean isShared(HookBridgeProperties.Idempotency settings) {
        return settings.getJdbcUrl() != null && !settings.getJdbcUrl().isBlank();
    }
}
