package io.hookbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * {@code hookbridge.training-run=true}: start completely, answer one health check, then exit with status 0.
 * <p>
 * {@code bin/hookbridge} runs this once per jar under {@code -XX:ArchiveClassesAtExit} to make its class-data
 * sharing archive. A full start (web server, Camel routes, broker connections, the health endpoint) puts about
 * a third more classes in the archive than stopping when the context is refreshed, and each of them is one
 * less to load, verify and link at every later start.
 */
@Component
@ConditionalOnProperty(name = "hookbridge.training-run", havingValue = "true")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        var context = event.getApplicationContext();
        if (context instanceof WebServerApplicationContext web) {
            int port = web.getWebServer().getPort();
            try {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(30)).build();
                int status = client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                log.info("training run: health answered {}; exiting", status);
            } catch (Exception e) {
                log.warn("training run: health check failed ({}); exiting", e.toString());
            }
        }
        // exit from another thread: System.exit waits for the shutdown hooks, one of which closes this context
        Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context)), "training-run-exit");
        exit.start();
    }
}
