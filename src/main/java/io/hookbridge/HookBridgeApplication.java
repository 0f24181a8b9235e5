package io.hookbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.hookbridge.config.HookBridgeProperties;

// no auto-configured DataSource: the only one is the shared database's, when configured (IdempotencyConfiguration)
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@EnableScheduling
@EnableConfigurationProperties(HookBridgeProperties.class)
public class HookBridgeApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(ValidateCommand.NAME)) {
            System.exit(ValidateCommand.run(java.util.List.of(args).subList(1, args.length), System.out));
        }
        SpringApplication.run(HookBridgeApplication.class, args);
    }
}
