package io.hookbridge.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every HookBridge setting, bound from {@code hookbridge.*} (application.yml, --args or the environment). */
@ConfigurationProperties("hookbridge")
public class HookBridgeProperties {

    /** Broker store and idempotency store live here. */
    private String dataDir = "data";
    /** Every *.yaml file here is loaded as Camel YAML routes. */
    private String routesDir = "routes";
    /** Every *.yaml file here defines a vendor (or overrides the built-in of the same id); watched for changes. */
    private String vendorsDir = "vendors";
    private final Broker broker = new Broker();
    private final Http http = new Http();
    private final Idempotency idempotency = new Idempotency();
    private final Admin admin = new Admin();
    private final Map<String, Source> sources = new LinkedHashMap<>();

    public String getDataDir() { return dataDir; }
    public void setDataDir(String dataDir) { this.dataDir = dataDir; }
    public String getRoutesDir() { return routesDir; }
    public void setRoutesDir(String routesDir) { this.routesDir = routesDir; }
    public String getVendorsDir() { return vendorsDir; }
    public void setVendorsDir(String vendorsDir) { this.vendorsDir = vendorsDir; }
    public Broker getBroker() { return broker; }
    public Http getHttp() { return http; }
    public Idempotency getIdempotency() { return idempotency; }
    public Admin getAdmin() { return admin; }
    public Map<String, Source> getSources() { return sources; }

    public static class Broker {
        /** Unset: start the embedded broker. Set: connect to this external broker and start none. */
        private String url;
        private String user = "hookbridge";
        private String password = "hookbridge";
        /** host:port the embedded broker's OpenWire connector binds to. */
        private String bind = "127.0.0.1:61616";
        /** The embedded broker's ActiveMQ XML configuration; at the default location and missing, the built-in one. */
        public static final String DEFAULT_CONFIG = "broker-config/activemq.xml";
        private String config = DEFAULT_CONFIG;
        /**
         * Parallel transacted sessions that group-commit received events to the broker. Two keep one batch being sent
         * while the other's commit waits for the disk; each more splits the same webhooks into more, smaller commits
         * (bench/run ingest, 2 cores: disk flushes per webhook 0.095 with four, 0.066 with two; CPU per webhook
         * ~0.20 -> ~0.18 ms at concurrency 64, 0.26 -> 0.21 ms at 16). One commits least often but, at concurrency
         * 16, took fewer webhooks a second than two.
         */
        private int publishers = 2;
        /** Most events committed in one broker transaction. */
        private int maxBatch = 128;
        /** How long a webhook waits for its broker commit before it is answered 503. */
        private Duration sendTimeout = Duration.ofSeconds(10);
        /** KahaDB index page size for stores the embedded broker creates (an existing store keeps its own). */
        public static final int DEFAULT_INDEX_PAGE_BYTES = 1024;
        private int indexPageBytes = DEFAULT_INDEX_PAGE_BYTES;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public boolean isEmbedded() { return url == null || url.isBlank(); }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getBind() { return bind; }
        public void setBind(String bind) { this.bind = bind; }
        public String getConfig() { return config; }
        public void setConfig(String config) { this.config = config; }
        public int getPublishers() { return publishers; }
        public void setPublishers(int publishers) { this.publishers = publishers; }
        public int getMaxBatch() { return maxBatch; }
        public void setMaxBatch(int maxBatch) { this.maxBatch = maxBatch; }
        public Duration getSendTimeout() { return sendTimeout; }
        public void setSendTimeout(Duration sendTimeout) { this.sendTimeout = sendTimeout; }
        public int getIndexPageBytes() { return indexPageBytes; }
        public void setIndexPageBytes(int indexPageBytes) { this.indexPageBytes = indexPageBytes; }
    }

    public static class Http {
        private int maxBodyBytes = 1048576;

        public int getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
    }

    public static class Idempotency {
        /** How long an event id is remembered for de-duplication. */
        private Duration retention = Duration.ofDays(7);
        /** JDBC URL of the idempotent repository; unset: an H2 file database under the data dir. */
        private String jdbcUrl;
        private String jdbcUser = "sa";
        private String jdbcPassword = "";

        public Duration getRetention() { return retention; }
        public void setRetention(Duration retention) { this.retention = retention; }
        public String getJdbcUrl() { return jdbcUrl; }
        public void setJdbcUrl(String jdbcUrl) { this.jdbcUrl = jdbcUrl; }
        public String getJdbcUser() { return jdbcUser; }
        public void setJdbcUser(String jdbcUser) { this.jdbcUser = jdbcUser; }
        public String getJdbcPassword() { return jdbcPassword; }
        public void setJdbcPassword(String jdbcPassword) { this.jdbcPassword = jdbcPassword; }
    }

    public static class Admin {
        private String token;

        public String getToken() { return token; }
        public void setToken(String token) { this.token = token; }
    }

    public static class Source {
        /** The vendor's shared secret or token. */
        private String secret;
        /** Further secrets accepted during a rotation; any one of them verifies. */
        private List<String> secrets = new ArrayList<>();

        public String getSecret() { return secret; }
        public void setSecret(String secret) { this.secret = secret; }
        public List<String> getSecrets() { return secrets; }
        public void setSecrets(List<String> secrets) { this.secrets = secrets; }

        /** The configured secrets, blank ones dropped: empty means every request is refused. */
        public List<String> activeSecrets() {
            List<String> all = new ArrayList<>();
            if (secret != null && !secret.isBlank()) all.add(secret);
            for (String s : secrets) if (s != null && !s.isBlank()) all.add(s);
            return all;
        }
    }
}
