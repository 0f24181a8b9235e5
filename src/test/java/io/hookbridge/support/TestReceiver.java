package io.hookbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP receiver on loopback that records what it was sent and answers as the test tells it to. */
public final class TestReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(long at, String path, Map<String, String> headers, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What to answer: a status, optional headers, an optional delay before answering, and an optional body. */
    public record Reply(int status, Map<String, String> headers, long delayMillis, String body) {
        public Reply(int status, Map<String, String> headers, long delayMillis) {
            this(status, headers, delayMillis, null);
        }

        public static Reply of(int status) {
            return new Reply(status, Map.of(), 0);
        }

        public static Reply of(int status, String body) {
            return new Reply(status, Map.of(), 0, body);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Reply> behaviour = r -> Reply.of(204);

    public TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(Function<Received, Reply> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        Received request = new Received(System.currentTimeMillis(), exchange.getRequestURI().getPath(), headers, body);
        received.add(request);
        Reply reply = behaviour.apply(request);
        if (reply.delayMillis() > 0) {
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] answer = reply.body() == null ? null : reply.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), answer == null ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (answer != null) out.write(answer);
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
