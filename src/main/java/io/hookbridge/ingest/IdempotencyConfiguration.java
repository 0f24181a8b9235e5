package io.hookbridge.ingest;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;

/**
 * The database behind de-duplication ({@link EventDeduplicator}): an H2 file database under the data dir, or
 * the database {@code hookbridge.idempotency.jdbc-url} names (PostgreSQL, shared by every instance, when
 * scaling out).
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource idempotencyDataSource(HookBridgeProperties properties) {
        HookBridgeProperties.Idempotency settings = properties.getIdempotency();
        HikariDataSource dataSource = new HikariDataSource();
        String url = settings.getJdbcUrl();
        if (url == null || url.isBlank()) {
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
}
