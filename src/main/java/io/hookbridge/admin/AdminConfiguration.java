package io.hookbridge.admin;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.ingest.IdempotencyConfiguration;

/** The admin API's token check on {@code /admin/**}, and the attempt log. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AttemptLogProperties.class)
public class AdminConfiguration {

    /** In the shared database when there is one (every instance sees every attempt), else under the data dir. */
    @Bean
    QueuedAttemptLog attemptLog(HookBridgeProperties properties, AttemptLogProperties settings, MeterRegistry meters,
                                ObjectProvider<HikariDataSource> idempotencyDataSource) {
        if (IdempotencyConfiguration.isShared(properties.getIdempotency())) {
            return new JdbcAttemptLog(idempotencyDataSource.getObject(), settings, meters);
        }
        Path file = Path.of(properties.getDataDir(), "idempotency", "delivery-attempts.mv").toAbsolutePath();
        return new LocalAttemptLog(file, settings, meters);
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(HookBridgeProperties properties) {
        FilterRegistrationBean<AdminTokenFilter> registration =
                new FilterRegistrationBean<>(new AdminTokenFilter(properties.getAdmin().getToken()));
        registration.addUrlPatterns("/admin", "/admin/*");
        registration.setName("hookbridgeAdminToken");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
