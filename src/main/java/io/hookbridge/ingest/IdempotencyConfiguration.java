package io.hookbridge.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Where accepted event ids ({@link EventIds}) and the delivery attempt log live: with
 * {@code hookbridge.idempotency.jdbc-url} set, in that database (PostgreSQL, shared by every instance when scaling
 * out); unset, in files under the data dir ({@link LocalEventIds}, {@link KeyValueFiles}), and no data source is created.
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    /** Only with a shared database: without one, no data source exists. */
    @Bean(destroyMethod = "close")
    @Conditional(SharedDatabase.class)
    HikariDataSource idempotencyDataSource(HookBridgeProperties properties) {
        HookBridgeProperties.Idempotency settings = properties.getIdempotency();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(settings.getJdbcUrl());
        dataSource.setUsername(settings.getJdbcUser());
        dataSource.setPassword(settings.getJdbcPassword());
        dataSource.setMaximumPoolSize(16);
        dataSource.setPoolName("hookbridge-idempotency");
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    EventIds eventIds(HookBridgeProperties properties, ObjectProvider<HikariDataSource> idempotencyDataSource) {
        HookBridgeProperties.Idempotency settings = properties.getIdempotency();
        if (isShared(settings)) return new JdbcEventIds(idempotencyDataSource.getObject(), properties);
        Path dir = Path.of(properties.getDataDir(), "idempotency").toAbsolutePath();
        LocalEventIds ids = new LocalEventIds(dir.resolve("accepted-ids"), settings.getRetention());
        Path legacy = dir.resolve("accepted-ids.mv");
        try {
            if (Files.exists(legacy)) ids.importLegacyFile(legacy);
        } catch (RuntimeException e) {
            ids.close();
            throw e;
        }
        return ids;
    }

    /** Whether a database shared by every instance is configured. */
    public static boolean isShared(HookBridgeProperties.Idempotency settings) {
        return isSharedUrl(settings.getJdbcUrl());
    }

    private static boolean isSharedUrl(String jdbcUrl) {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    /** {@link #isShared} read from the environment, for the data source that exists only then. */
    static class SharedDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return isSharedUrl(Binder.get(context.getEnvironment()).bind("hookbridge.idempotency.jdbc-url", String.class).orElse(null));
        }
    }
}
