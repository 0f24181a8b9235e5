package io.hookbridge.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.hookbridge.broker.BrokerUnavailableException;
import io.hookbridge.broker.EventPublisher;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorCatalog;
import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.inbound.WebhookSource;

/**
 * Ingestion, whatever the transport: verify, normalize, de-duplicate, and store durably on the broker.
 * Used by the HTTP endpoint and by the JMS publish queue.
 */
@Service
public class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final VendorCatalog sources;
    private final EventPublisher publisher;
    private final MeterRegistry meters;
    private final IngestGate gate;
    /** Events being stored right now: a duplicate arriving meanwhile waits for the original's outcome. */
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    /** Counters by (metric, source, type or reason): looked up per event without building a key string. */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    private record CounterKey(String metric, String source, String detail) { }

    public IngestService(VendorCatalog sources, EventPublisher publisher,
                         MeterRegistry meters, IngestGate gate) {
        this.gate = gate;
        this.sources = sources;
        this.publisher = publisher;
        this.meters = meters;
    }

    /** A webhook as a vendor posted it. */
    public IngestResult receive(String sourceId, byte[] body, Function<String, String> header) {
        WebhookSource source = sources.find(sourceId);
        try {
            if (source == null) throw unknownSource(sourceId);
            source.verify(body, header);
            return storeOnce(source.normalize(body, Instant.now()));
        } catch (WebhookException e) {
            rejected(source == null ? "unknown" : sourceId, e.kind().code, e.detail());
            throw e;
        }
    }

    /** A vendor-shaped body whose sender the broker already authenticated (JMS publish). */
    public IngestResult receiveTrusted(String sourceId, byte[] body) {
        WebhookSource source = sources.find(sourceId);
        if (source == null) {
            rejected("unknown", WebhookException.Kind.UNKNOWN_SOURCE.code, sourceId);
            throw unknownSource(sourceId);
        }
        try {
            return storeOnce(source.normalize(body, Instant.now()));
        } catch (WebhookException e) {
            rejected(sourceId, e.kind().code, e.detail());
            throw e;
        }
    }

    /** A canonical event (JMS publish): stored once; a repeat of an accepted id is answered as a duplicate. */
    public IngestResult accept(CanonicalEvent event) {
        try {
            return storeOnce(event);
        } catch (WebhookException e) {
            rejected(event.sourceId(), e.kind().code, e.detail());
            throw e;
        }
    }

    private IngestResult storeOnce(CanonicalEvent event) {
        String refusal = gate.refusal();
        if (refusal != null) {
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, refusal);
        }
        String key = EventIds.key(event.sourceId(), event.id());
        while (true) {
            CompletableFuture<Boolean> mine = new CompletableFuture<>();
            CompletableFuture<Boolean> other = inFlight.putIfAbsent(key, mine);
            if (other != null) {
                if (other.join()) return duplicate(event);
                continue; // the original failed: this copy gets its own try
            }
            try {
                boolean stored = store(event, key);
                mine.complete(true);
                return stored ? accepted(event) : duplicate(event);
            } catch (RuntimeException e) {
                mine.complete(false);
                throw e;
            } finally {
                inFlight.remove(key, mine);
            }
        }
    }

    /** @return false if it had been stored before */
    private boolean store(CanonicalEvent event, String key) {
        try {
            return publisher.publish(event, key);
        } catch (BrokerUnavailableException e) {
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "the broker could not store the event: " + e.getMessage());
        }
    }

    private IngestResult accepted(CanonicalEvent event) {
        counters.computeIfAbsent(new CounterKey("received", event.sourceId(), event.type()), k -> Counter.builder("hookbridge.events.received")
                .description("Events accepted and stored on the broker")
                .tag("source", event.sourceId()).tag("type", event.type())
                .register(meters)).increment();
        log.info("event accepted id={} source={} type={} subject={}", event.id(), event.sourceId(), event.type(), event.subject());
        return new IngestResult(event.id(), event.type(), false);
    }

    private IngestResult duplicate(CanonicalEvent event) {
        counters.computeIfAbsent(new CounterKey("duplicate", event.sourceId(), ""), k -> Counter.builder("hookbridge.events.duplicates")
                .description("Events received again after they had been accepted")
                .tag("source", event.sourceId())
                .register(meters)).increment();
        log.info("event duplicate id={} source={} type={}", event.id(), event.sourceId(), event.type());
        return new IngestResult(event.id(), event.type(), true);
    }

    private void rejected(String sourceId, String reason, String detail) {
        counters.computeIfAbsent(new CounterKey("rejected", sourceId, reason), k -> Counter.builder("hookbridge.events.rejected")
                .description("Webhooks and messages refused")
                .tag("source", sourceId).tag("reason", reason)
                .register(meters)).increment();
        log.info("event rejected source={} reason={} detail={}", sourceId, reason, detail);
    }

    private WebhookException unknownSource(String sourceId) {
        return new WebhookException(WebhookException.Kind.UNKNOWN_SOURCE, "no source '" + sourceId + "'; known sources: "
                + String.join(", ", sources.all().stream().map(WebhookSource::id).toList()));
    }
}
