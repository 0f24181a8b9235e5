package io.hookbridge.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hookbridge.HookBridgeApplication;
import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;

/** A gateway started and stopped by the test itself (for restarts), on random ports, with the given data dir. */
public final class Gateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Gateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Gateway start(Path dataDir, String routesDir, String... extraProperties) {
        List<String> args = new ArrayList<>(List.of(
                "--hookbridge.broker.bind=127.0.0.1:0",
                "--hookbridge.data-dir=" + dataDir,
                "--hookbridge.routes-dir=" + routesDir,
                "--hookbridge.admin.token=test-admin-token",
                "--hookbridge.broker.name=hookbridge-" + java.util.UUID.randomUUID()));
        for (String secret : VendorSigner.secretProperties()) args.add("--" + secret);
        for (String extra : extraProperties) args.add("--" + extra);
        if (args.stream().noneMatch(a -> a.startsWith("--server.port="))) args.add("--server.port=0");
        return new Gateway(new SpringApplicationBuilder(HookBridgeApplication.class).run(args.toArray(String[]::new)));
    }

    public String url(String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return "http://127.0.0.1:" + port + path;
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String brokerUrl() {
        return context.getBean(EmbeddedBroker.class).openWireUrl();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
