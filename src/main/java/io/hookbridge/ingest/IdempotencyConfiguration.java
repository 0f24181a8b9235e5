package io.hookbridge.ingest;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;

/**
 * The persistent idempotent repository behind de-duplication: Camel's JDBC message-id repository, on an
 * H2 file database under the data dir, or on the database {@code hookbridge.idempotency.jdbc-url} names
 * (PostgreSQL, shared by every instance, when scaling out).
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    static final String PROCESSOR_NAME = "hookbridge-ingest";

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

    @Bean
    JdbcMessageIdRepository idempotentRepository(DataSource idempotencyDataSource) {
        return new JdbcMessageIdRepository(idempotencyDataSource, PROCESSOR_NAME);
    }
}
