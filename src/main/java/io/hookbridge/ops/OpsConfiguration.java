package io.hookbridge.ops;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.hookbridge.admin.AdminTokenFilter;
import io.hookbridge.config.HookBridgeProperties;

/** Health details for the holder of the admin token only. */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    @Bean
    FilterRegistrationBean<ActuatorAdminPrincipal> actuatorAdminPrincipal(HookBridgeProperties properties) {
        FilterRegistrationBean<ActuatorAdminPrincipal> registration = new FilterRegistrationBean<>(
                new ActuatorAdminPrincipal(new AdminTokenFilter(properties.getAdmin().getToken())));
        registration.addUrlPatterns("/actuator/*");
        registration.setName("hookbridgeActuatorAdminPrincipal");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
