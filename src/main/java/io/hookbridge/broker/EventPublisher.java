package io.hookbridge.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.ops.CrashPoints;

/**
 * Puts canonical events on {@value #EVENTS_TOPIC}, durably, with group commit: concurrent webhooks are
 * gathered into one JMS transaction per commit, so one journal fsync acknowledges many of them. A caller is
 * released only after the transaction holding its event has been committed by the broker.
 */
@Component
public class EventPublisher implements SmartLifecycle {

    public static final String EVENTS_TOPIC = "VirtualTopic.hookbridge.events";

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final ActiveMQConnectionFactory connectionFactory;
    private final HookBridgeProperties.Broker settings;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Admission admission;
    private final StoredEvents storedEvents;

    public EventPublisher(ActiveMQConnectionFactory activeMqConnectionFactory, HookBridgeProperties properties,
                          Admission admission, ObjectProvider<StoredEvents> storedEvents) {
        this.connectionFactory = activeMqConnectionFactory;
        this.settings = properties.getBroker();
        this.admission = admission;
        this.storedEvents = storedEvents.getIfAvailable(() -> (event, json, receivedAt) -> { });
    }

    /**
     * Stores the event on the broker, unless its key was admitted before, and returns once the broker has
     * acknowledged the commit.
     *
     * @param key the event's de-duplication key
     * @return true if stored now, false if it had been stored before (a duplicate)
     * @throws BrokerUnavailableException when the broker refused, failed, or did not answer in time
     */
    public boolean publish(CanonicalEvent event, String key) {
        if (!running.get()) throw new BrokerUnavailableException("HookBridge is stopping");
        // written here, on the caller's thread, so that a publisher's serial turn holds only what must be serial
        Pending item = new Pending(event, event.toJsonBytes(), key, new CompletableFuture<>());
        pending.add(item);
        try {
            return item.done.get(settings.getSendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            item.done.cancel(false);
            throw new BrokerUnavailableException("the broker did not acknowledge within " + settings.getSendTimeout());
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker");
        }
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) return;
        for (int i = 0; i < Math.max(1, settings.getPublishers()); i++) {
            Thread t = new Thread(new Committer(), "hookbridge-publisher-" + i);
            t.setDaemon(true);
            t.start();
            committers.add(t);
        }
    }

    @Override
    public void stop() {
        if (!running.compareAndSet(true, false)) return;
        for (Thread t : committers) {
            try {
                t.join(settings.getSendTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        committers.clear();
        Pending left;
        while ((left = pending.poll()) != null) {
            left.done.completeExceptionally(new BrokerUnavailableException("HookBridge is stopping"));
        }
    }

    @Override
    public boolean isRunning() { return running.get(); }

    /** Stops after the HTTP server (which stops accepting first) and before the broker. */
    @Override
    public int getPhase() { return Integer.MAX_VALUE - 2048; }

    /** json is the event as the broker stores it; done completes with true once stored, false for a duplicate. */
    private record Pending(CanonicalEvent event, byte[] json, String key, CompletableFuture<Boolean> done) { }

    private final class Committer implements Runnable {
        private Connection connection;
        private Session session;
        private MessageProducer producer;
        private volatile boolean broken;

        @Override
        public void run() {
            List<Pending> batch = new ArrayList<>(settings.getMaxBatch());
            while (running.get() || !pending.isEmpty()) {
                try {
                    Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    pending.drainTo(batch, settings.getMaxBatch() - 1);
                    batch.removeIf(p -> p.done.isCancelled());
                    if (!batch.isEmpty()) commit(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    batch.clear();
                }
            }
            closeQuietly();
        }

        /**
         * One reservation of the batch's keys and one broker transaction for the whole batch; the keys are
         * remembered only after the broker's commit. A connection that went stale while idle (the broker
         * restarted) is replaced and the batch tried once more: nothing of a failed transaction was committed.
         */
        private void commit(List<Pending> batch) {
            Admission.Reservation reservation;
            try {
                reservation = admission.reserve(batch.stream().map(Pending::key).toList());
            } catch (RuntimeException e) {
                log.warn("de-duplication store failed for {} event(s): {}", batch.size(), e.toString());
                for (Pending p : batch) p.done.completeExceptionally(e);
                return;
            }
            Set<String> fresh = reservation.fresh();
            // the first of several copies of a key in one batch is stored, the others answered as its duplicates
            Set<String> claimed = new HashSet<>();
            boolean[] stores = new boolean[batch.size()];
            List<Pending> toStore = new ArrayList<>(batch.size());
            for (int i = 0; i < stores.length; i++) {
                Pending p = batch.get(i);
                stores[i] = fresh.contains(p.key) && claimed.add(p.key);
                if (stores[i]) toStore.add(p);
            }
            CrashPoints.reach(CrashPoints.AFTER_RESERVE);
            long receivedAt = System.currentTimeMillis();
            for (int attempt = 1; ; attempt++) {
                try {
                    if (!toStore.isEmpty()) {
                        if (broken) closeQuietly();
                        ensureOpen();
                        for (Pending p : toStore) {
                            producer.send(toMessage(p, receivedAt));
                        }
                        session.commit();
                    }
                    break;
                } catch (JMSException | RuntimeException e) {
                    closeQuietly();
                    if (attempt < 2) continue;
                    log.warn("broker commit of {} event(s) failed: {}", toStore.size(), e.toString());
                    try {
                        reservation.release();
                    } finally {
                        for (Pending p : batch) p.done.completeExceptionally(e);
                    }
                    return;
                }
            }
            CrashPoints.reach(CrashPoints.AFTER_BROKER_COMMIT);
            try {
                reservation.confirm();
            } catch (RuntimeException e) {
                // the events are stored: their answer stays 202; a retry of one of them may be stored again
                log.warn("{} stored event(s) could not be remembered as seen, a retry of one is stored again: {}", fresh.size(), e.toString());
            }
            CrashPoints.reach(CrashPoints.AFTER_CONFIRM);
            for (Pending p : toStore) storedEvents.stored(p.event, p.json, receivedAt);
            for (int i = 0; i < stores.length; i++) batch.get(i).done.complete(stores[i]);
        }

        private TextMessage toMessage(Pending pending, long receivedAt) throws JMSException {
            TextMessage message = EventText.message(session, pending.json);
            EventMessages.describe(message, pending.event, receivedAt);
            return message;
        }

        private void ensureOpen() throws JMSException {
            if (session != null) return;
            broken = false;
            connection = connectionFactory.createConnection();
            connection.setExceptionListener(e -> broken = true);
            connection.start();
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            producer = session.createProducer(new ActiveMQTopic(EVENTS_TOPIC));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        }

        private void closeQuietly() {
            try {
                if (connection != null) connection.close();
            } catch (JMSException | RuntimeException ignored) {
                // the connection is being discarded after a failure
            }
            connection = null;
            session = null;
            producer = null;
        }
    }
}
