package io.hookbridge.web;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.ingest.IngestService;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    @Bean
    ServletRegistrationBean<WebhookServlet> webhookServlet(IngestService ingest, HookBridgeProperties properties) {
        ServletRegistrationBean<WebhookServlet> registration =
                new ServletRegistrationBean<>(new WebhookServlet(ingest, properties.getHttp().getMaxBodyBytes()), "/webhooks/*");
        registration.setName("webhooks");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
