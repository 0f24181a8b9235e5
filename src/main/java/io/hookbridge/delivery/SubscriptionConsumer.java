package io.hookbridge.delivery;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.ActiveMQSession;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hookbridge.broker.EventMessages;
import io.hookbridge.broker.EventText;
import io.hookbridge.event.EventJson;
import io.hookbridge.ops.CrashPoints;

/**
 * The ordered, non-blocking delivery loop of one subscription.
 * <p>
 * One thread owns the JMS session: it receives events (individually acknowledged, so a crash returns every
 * unacknowledged one to the queue), queues them per subject in a "lane", acknowledges finished ones and
 * parks exhausted ones on the dead-letter queue. Attempts run on a worker pool through the route (render,
 * sign, POST); a failed attempt is re-run from a timer after its backoff, and only its own lane waits.
 */
final class SubscriptionConsumer extends DefaultConsumer implements SubscriptionBacklog {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionConsumer.class);

    static final String FORMAT = "hookbridgeFormat";
    static final String SECRETS = "hookbridgeSecrets";
    static final String SUBSCRIPTION = "hookbridgeSubscription";
    static final String EVENT_ID = "hookbridgeEventId";
    static final String ATTEMPT = "hookbridgeAttempt";
    static final String SKIPPED = "hookbridgeSkipped";
    /**
     * How long the session thread waits for work when the queue is empty. Finished attempts wake it at once;
     * only a new event arriving on an idle queue may wait this long. (Blocking in receive() instead held every
     * finished attempt, and so each subject's next event, up to the receive timeout.)
     */
    private static final long IDLE_POLL_MILLIS = 2;

    private final SubscriptionEndpoint endpoint;
    private final EventFilter filter;
    private final RetrySchedule schedule;
    private final DeliveryListener listener;
    private final EventRenderer renderer;
    private final BlockingQueue<Runnable> sessionTasks = new LinkedBlockingQueue<>();
    private final Map<String, Deque<Delivery>> lanes = new HashMap<>();
    private final AtomicInteger attemptsInFlight = new AtomicInteger();
    private volatile boolean stopping;
    private int held;
    private int idlePolls;
    private int generation;

    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private Thread sessionThread;
    private Connection connection;
    private Session session;
    private MessageConsumer consumer;
    private MessageProducer deadLetters;

    SubscriptionConsumer(SubscriptionEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.filter = endpoint.filter();
        this.schedule = endpoint.retrySchedule();
        this.listener = endpoint.getComponent().listener();
        this.renderer = EventRenderers.forFormat(endpoint.getFormat());
    }

    private final class Delivery {
        final Message message;
        final String json;
        final String id;
        final String source;
        final String type;
        final String lane;
        final long enqueuedAt;
        final long receivedAt;
        final int generation;
        int attempt;
        boolean awaitingRetry;

        Delivery(Message message, String json, String id, String source, String type, String lane, long enqueuedAt,
                 long receivedAt, int generation) {
            this.message = message;
            this.json = json;
            this.id = id;
            this.source = source;
            this.type = type;
            this.lane = lane;
            this.enqueuedAt = enqueuedAt;
            this.receivedAt = receivedAt;
            this.generation = generation;
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getComponent().paused().isPaused(endpoint.name())) {
            // paused before a restart: its queue stays closed until an operator resumes it
            log.info("subscription {} is paused; its events wait on its queue until it is resumed", endpoint.name());
            return;
        }
        stopping = false;
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        workers = executors.newFixedThreadPool(this, "delivery-" + endpoint.name(), endpoint.getComponent().concurrency());
        timer = executors.newScheduledThreadPool(this, "delivery-retry-" + endpoint.name(), 1);
        sessionThread = new Thread(this::sessionLoop, "delivery-session-" + endpoint.name());
        sessionThread.setDaemon(true);
        openSession();
        sessionThread.start();
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (sessionThread != null) sessionThread.join(30_000);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (timer != null) executors.shutdownNow(timer);
        if (workers != null) executors.shutdownNow(workers);
        closeSession();
        super.doStop();
    }

    private void openSession() throws JMSException {
        connection = endpoint.getComponent().connectionFactory().createConnection();
        connection.start();
        session = connection.createSession(false, ActiveMQSession.INDIVIDUAL_ACKNOWLEDGE);
        consumer = session.createConsumer(session.createQueue(endpoint.queue() + "?consumer.prefetchSize="
                + endpoint.getComponent().maxHeld()));
        deadLetters = session.createProducer(session.createQueue(endpoint.deadLetterQueue()));
        deadLetters.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    private void closeSession() {
        try {
            if (connection != null) connection.close();
        } catch (JMSException | RuntimeException e) {
            log.debug("closing subscription {}'s connection: {}", endpoint.name(), e.toString());
        }
        connection = null;
        session = null;
        consumer = null;
        deadLetters = null;
    }

    private void sessionLoop() {
        while (!stopping) {
            try {
                if (session == null) {
                    reconnect();
                    if (session == null) continue;
                }
                runSessionTasks();
                Message message = held < endpoint.getComponent().maxHeld() ? consumer.receiveNoWait() : null;
                if (message != null) {
                    idlePolls = 0;
                    received(message);
                    continue;
                }
                // nothing to take: wait for a finished attempt (wakes at once) or, briefly, for new events;
                // a subscription idle for a while checks its queue less often
                long wait = ++idlePolls > 100 ? IDLE_POLL_MILLIS * 10 : IDLE_POLL_MILLIS;
                Runnable task = sessionTasks.poll(wait, TimeUnit.MILLISECONDS);
                if (task != null) {
                    idlePolls = 0;
                    task.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (JMSException | RuntimeException e) {
                log.warn("subscription {} lost its broker session ({}); unacknowledged events return to its queue", endpoint.name(), e.toString());
                abandonSession();
            }
        }
        drainOnStop();
    }

    /** Let attempts under way finish and acknowledge them, so a clean stop redelivers as little as possible. */
    private void drainOnStop() {
        long deadline = System.currentTimeMillis() + 20_000;
        try {
            while (attemptsInFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                Runnable task = sessionTasks.poll(50, TimeUnit.MILLISECONDS);
                if (task != null) task.run();
            }
            runSessionTasks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("while stopping subscription {}: {}", endpoint.name(), e.toString());
        }
    }

    private void runSessionTasks() {
        Runnable task;
        while ((task = sessionTasks.poll()) != null) task.run();
    }

    private void reconnect() throws InterruptedException {
        if (stopping) return;
        try {
            openSession();
            log.info("subscription {} reconnected to the broker", endpoint.name());
        } catch (JMSException | RuntimeException e) {
            closeSession();
            Thread.sleep(1000);
        }
    }

    private void abandonSession() {
        generation++;
        lanes.clear();
        held = 0;
        closeSession();
    }

    private void received(Message message) throws JMSException {
        if (!(message instanceof TextMessage text)) {
            deadLetter(message, null, "not a text message: " + message.getClass().getSimpleName(), 0, 0);
            message.acknowledge();
            return;
        }
        String json = EventText.read(text);
        String id = message.getStringProperty(EventMessages.ID);
        String source = message.getStringProperty(EventMessages.SOURCE);
        String type = message.getStringProperty(EventMessages.TYPE);
        String subject = message.getStringProperty(EventMessages.SUBJECT);
        if (id == null || type == null || source == null) {
            try {
                JsonNode event = EventJson.mapper().readTree(json);
                id = EventJson.text(event, "id");
                type = EventJson.text(event, "type");
                String ceSource = EventJson.text(event, "source");
                source = ceSource != null && ceSource.startsWith("/sources/") ? ceSource.substring(9) : ceSource;
                subject = EventJson.text(event, "subject");
            } catch (Exception e) {
                id = null;
            }
            if (id == null || type == null) {
                deadLetter(message, json, "not a canonical event", 0, 0);
                message.acknowledge();
                return;
            }
        }
        if (!filter.matches(type, source)) {
            message.acknowledge();
            return;
        }
        if (!renderer.expresses(type, source)) {
            // nothing to send in this format: settled at once, as a skipped attempt would be, without rendering
            message.acknowledge();
            listener.outcome(endpoint.name(), id, EventMessages.receivedAt(message), source, type, DeliveryListener.Outcome.SKIPPED, 1,
                    Math.max(0, System.currentTimeMillis() - message.getJMSTimestamp()));
            return;
        }
        String lane = subject == null ? "id:" + id : source + ":" + subject;
        Delivery delivery = new Delivery(message, json, id, source, type, lane, message.getJMSTimestamp(),
                EventMessages.receivedAt(message), generation);
        held++;
        Deque<Delivery> queue = lanes.computeIfAbsent(lane, k -> new ArrayDeque<>());
        queue.add(delivery);
        if (queue.size() == 1) submit(delivery);
    }

    private void submit(Delivery delivery) {
        delivery.awaitingRetry = false;
        delivery.attempt++;
        attemptsInFlight.incrementAndGet();
        try {
            workers.execute(() -> attempt(delivery));
        } catch (RuntimeException rejected) {
            attemptsInFlight.decrementAndGet();
        }
    }

    private void attempt(Delivery delivery) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setBody(delivery.json);
        exchange.setProperty(FORMAT, endpoint.getFormat());
        exchange.setProperty(SECRETS, endpoint.secrets());
        exchange.setProperty(SUBSCRIPTION, endpoint.name());
        exchange.setProperty(EVENT_ID, delivery.id);
        exchange.setProperty(ATTEMPT, delivery.attempt);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        long durationMillis = (System.nanoTime() - t0) / 1_000_000;
        boolean skipped = Boolean.TRUE.equals(exchange.getProperty(SKIPPED, Boolean.class));
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int status = code == null ? 0 : code;
        String error = null;
        if (exchange.getException() != null) {
            Throwable cause = exchange.getException();
            error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            status = 0;
        } else if (!skipped && (status < 200 || status > 299)) {
            error = status == 0 ? "no HTTP answer" : "HTTP " + status;
        }
        String retryAfter = status == 429 || status == 503 ? exchange.getMessage().getHeader("Retry-After", String.class) : null;
        DeliveryAttempt result = new DeliveryAttempt(endpoint.name(), delivery.id, delivery.source, delivery.type,
                delivery.attempt, started, status, durationMillis, error, error != null && status != 0 ? answer(exchange) : null);
        if (!skipped) listener.attempted(result);
        sessionTasks.add(() -> finished(delivery, result, skipped, retryAfter));
        attemptsInFlight.decrementAndGet();
    }

    @Override
    public Held held(long timeoutMillis) {
        java.util.concurrent.CompletableFuture<Held> answer = new java.util.concurrent.CompletableFuture<>();
        sessionTasks.add(() -> {
            int behind = 0;
            for (Deque<Delivery> lane : lanes.values()) {
                Delivery head = lane.peek();
                if (head != null && head.awaitingRetry) behind += lane.size();
            }
            answer.complete(new Held(held, behind));
        });
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** The start of a failed attempt's answer, for the operator (read only when the attempt failed). */
    private static String answer(Exchange exchange) {
        try {
            String body = exchange.getMessage().getBody(String.class);
            if (body == null || body.isEmpty()) return null;
            return body.length() > DeliveryAttempt.MAX_RESPONSE_BODY ? body.substring(0, DeliveryAttempt.MAX_RESPONSE_BODY) : body;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** On the session thread. */
    private void finished(Delivery delivery, DeliveryAttempt result, boolean skipped, String retryAfter) {
        if (delivery.generation != generation || session == null) return; // its session is gone: the broker redelivers it
        try {
            if (skipped || result.succeeded()) {
                CrashPoints.reach(CrashPoints.DELIVERED_BEFORE_ACK);
                delivery.message.acknowledge();
                long latency = Math.max(0, System.currentTimeMillis() - delivery.enqueuedAt);
                listener.outcome(endpoint.name(), delivery.id, delivery.receivedAt, delivery.source, delivery.type,
                        skipped ? DeliveryListener.Outcome.SKIPPED : DeliveryListener.Outcome.DELIVERED, delivery.attempt, latency);
                advance(delivery);
            } else if (!schedule.exhausted(delivery.attempt) && !stopping) {
                long delay = schedule.delayAfter(delivery.attempt, retryAfter, Instant.now());
                delivery.awaitingRetry = true;
                listener.outcome(endpoint.name(), delivery.id, delivery.receivedAt, delivery.source, delivery.type,
                        DeliveryListener.Outcome.RETRYING, delivery.attempt, 0);
                timer.schedule(() -> sessionTasks.add(() -> {
                    if (delivery.generation == generation && !stopping) submit(delivery);
                }), delay, TimeUnit.MILLISECONDS);
            } else if (schedule.exhausted(delivery.attempt)) {
                deadLetter(delivery.message, delivery.json, result.error(), result.status(), delivery.attempt);
                CrashPoints.reach(CrashPoints.DEAD_LETTERED_BEFORE_ACK);
                delivery.message.acknowledge();
                listener.outcome(endpoint.name(), delivery.id, delivery.receivedAt, delivery.source, delivery.type,
                        DeliveryListener.Outcome.DEAD_LETTERED, delivery.attempt, 0);
                advance(delivery);
            }
        } catch (JMSException e) {
            log.warn("subscription {} could not settle event {}: {}", endpoint.name(), delivery.id, e.toString());
            abandonSession();
        }
    }

    private void advance(Delivery delivery) {
        held--;
        Deque<Delivery> queue = lanes.get(delivery.lane);
        if (queue == null) return;
        queue.poll();
        Delivery next = queue.peek();
        if (next == null) lanes.remove(delivery.lane);
        else submit(next);
    }

    private void deadLetter(Message original, String json, String error, int status, int attempts) throws JMSException {
        TextMessage parked = session.createTextMessage(json);
        EventMessages.copy(original, parked);
        parked.setStringProperty("hookbridge_subscription", endpoint.name());
        parked.setIntProperty("hookbridge_last_status", status);
        parked.setStringProperty("hookbridge_error", error == null ? "" : error);
        parked.setIntProperty("hookbridge_attempts", attempts);
        parked.setLongProperty("hookbridge_dead_lettered_at", System.currentTimeMillis());
        deadLetters.send(parked);
    }
}
