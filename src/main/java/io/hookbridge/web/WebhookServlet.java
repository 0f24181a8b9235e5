package io.hookbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hookbridge.event.EventJson;
import io.hookbridge.ingest.IngestResult;
import io.hookbridge.ingest.IngestService;
import io.hookbridge.event.WebhookException;

/**
 * {@code POST /webhooks/{source}}: the vendors' door. A plain servlet rather than a Spring MVC controller: on
 * this path handler lookup, argument resolution and message conversion cost a third of a request's CPU (measured
 * with JFR under bench/run), for one fixed route with a byte body and a three-field JSON answer.
 */
public class WebhookServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(WebhookServlet.class);

    private final transient IngestService ingest;
    private final int maxBodyBytes;

    public WebhookServlet(IngestService ingest, int maxBodyBytes) {
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String source = sourceOf(request);
            byte[] body = readBody(request);
            IngestResult result = ingest.receive(source, body, request::getHeader);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", result.id());
            answer.put("type", result.type());
            answer.put("duplicate", result.duplicate());
            write(response, HttpServletResponse.SC_ACCEPTED, answer);
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.UNAVAILABLE) response.setHeader("Retry-After", ErrorAnswers.RETRY_AFTER_SECONDS);
            if (e.kind() == WebhookException.Kind.PAYLOAD_TOO_LARGE) response.setHeader("Connection", "close");
            write(response, e.kind().status, ErrorAnswers.error(e.kind().code, e.detail()));
        } catch (IOException e) {
            write(response, HttpServletResponse.SC_BAD_REQUEST,
                    ErrorAnswers.error("invalid_payload", "the request body could not be read: " + e.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            log.error("unexpected failure while receiving a webhook", e);
            write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    ErrorAnswers.error("internal_error", "the request could not be processed; nothing was accepted"));
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, jakarta.servlet.ServletException {
        if ("POST".equals(request.getMethod())) {
            super.service(request, response);
        } else {
            response.setHeader("Allow", "POST");
            write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    ErrorAnswers.error("method_not_allowed", request.getMethod() + " is not supported here; webhooks are POSTed"));
        }
    }

    private static String sourceOf(HttpServletRequest request) {
        String path = request.getPathInfo();
        String source = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        if (source.isEmpty() || source.contains("/")) {
            throw new WebhookException(WebhookException.Kind.UNKNOWN_SOURCE, "post to /webhooks/{source}, found " + request.getRequestURI());
        }
        return source;
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) throw tooLarge(declared);
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) throw tooLarge(-1);
            return body;
        }
    }

    private WebhookException tooLarge(long declared) {
        return new WebhookException(WebhookException.Kind.PAYLOAD_TOO_LARGE,
                "body is " + (declared >= 0 ? declared + " bytes" : "larger than the limit") + "; the limit is "
                        + maxBodyBytes + " bytes (hookbridge.http.max-body-bytes)");
    }

    private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] json = EventJson.mapper().writeValueAsBytes(body);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
