package io.hookbridge.admin;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.hookbridge.config.HookBridgeProperties;

/** The admin API's token check on {@code /admin/**}, and the attempt log's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AttemptLogProperties.class)
public class AdminConfiguration {

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
