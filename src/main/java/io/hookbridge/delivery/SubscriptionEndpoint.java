package io.hookbridge.delivery;

import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One subscription's settings, from the {@code webhook-subscription} template's parameters. */
public class SubscriptionEndpoint extends DefaultEndpoint {

    public static final String EVENTS_QUEUE_FORMAT = "Consumer.%s.VirtualTopic.hookbridge.events";
    public static final String DEAD_LETTER_QUEUE_PREFIX = "DLQ.hookbridge.";

    private final String name;
    private String types = "*";
    private String sources = "*";
    private String format = "cloudevents";
    private String secret = "";
    private int maxAttempts = 8;
    private long initialDelay = 1000;
    private double backoffMultiplier = 2;
    private long maxDelay = 3_600_000;

    public SubscriptionEndpoint(String uri, SubscriptionComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    void validate() {
        if (!name.matches("[a-z0-9-]+")) throw new IllegalArgumentException("name must match [a-z0-9-]+, found '" + name + "'");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, found " + maxAttempts);
        if (initialDelay < 0 || maxDelay < 0) throw new IllegalArgumentException("initialDelay and maxDelay must not be negative");
        if (backoffMultiplier < 1) throw new IllegalArgumentException("backoffMultiplier must be at least 1, found " + backoffMultiplier);
    }

    @Override
    public SubscriptionComponent getComponent() {
        return (SubscriptionComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(SubscriptionComponent.SCHEME + " endpoints only consume");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SubscriptionConsumer consumer = new SubscriptionConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String name() { return name; }

    public String queue() { return String.format(EVENTS_QUEUE_FORMAT, name); }

    public String deadLetterQueue() { return DEAD_LETTER_QUEUE_PREFIX + name; }

    public EventFilter filter() { return new EventFilter(types, sources); }

    public RetrySchedule retrySchedule() { return new RetrySchedule(maxAttempts, initialDelay, backoffMultiplier, maxDelay); }

    /** Several secrets, separated by spaces, are all used during a rotation; the first is the primary. */
    public List<String> secrets() {
        return secret == null || secret.isBlank() ? List.of() : List.of(secret.strip().split("\\s+"));
    }

    public String getTypes() { return types; }
    public void setTypes(String types) { this.types = types; }
    public String getSources() { return sources; }
    public void setSources(String sources) { this.sources = sources; }
    public String getFormat() { return format; }
    public void setFormat(String format) { this.format = format; }
    public String getSecret() { return secret; }
    public void setSecret(String secret) { this.secret = secret; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public long getInitialDelay() { return initialDelay; }
    public void setInitialDelay(long initialDelay) { this.initialDelay = initialDelay; }
    public double getBackoffMultiplier() { return backoffMultiplier; }
    public void setBackoffMultiplier(double backoffMultiplier) { this.backoffMultiplier = backoffMultiplier; }
    public long getMaxDelay() { return maxDelay; }
    public void setMaxDelay(long maxDelay) { this.maxDelay = maxDelay; }
}
