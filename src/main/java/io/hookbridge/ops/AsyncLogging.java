package io.hookbridge.ops;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Puts the root logger's appenders (Spring Boot's console, and its file when {@code logging.file.name} is set)
 * behind a Logback {@link AsyncAppender}, once Spring Boot has configured logging.
 * <p>
 * Every event outcome is logged at INFO (one line each), so at thousands of webhooks a second the request
 * threads queued for the console's lock: profiling showed request threads blocked there for 30 ms and more.
 * The queue never drops a line (discarding threshold 0, blocking when full), and Spring Boot's logging
 * shutdown hook stops the appender, which writes out what is queued.
 */
public class AsyncLogging implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final int QUEUE_SIZE = 8192;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> direct = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (!(appender instanceof AsyncAppender)) direct.add(appender);
        }
        for (Appender<ILoggingEvent> appender : direct) {
            AsyncAppender async = new AsyncAppender();
            async.setContext(context);
            async.setName("async-" + appender.getName());
            async.setQueueSize(QUEUE_SIZE);
            async.setDiscardingThreshold(0);
            async.setMaxFlushTime(5_000);
            async.addAppender(appender);
            async.start();
            root.addAppender(async);
            root.detachAppender(appender);
        }
    }

    /** Right after Spring Boot's own logging set-up, which (re)creates the appenders. */
    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
