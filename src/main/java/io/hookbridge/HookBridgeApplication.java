package io.hookbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.hookbridge.config.HookBridgeProperties;

@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(HookBridgeProperties.class)
public class HookBridgeApplication {
    public static void main(String[] args) {
        SpringApplication.run(HookBridgeApplication.class, args);
    }
}
