package io.hookbridge.vendor.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rendered delivery: the exact bytes to POST, their Content-Type, and the extra request headers
 * (authentication, Standard Webhooks headers). {@code Content-Type} is carried in {@link #contentType()},
 * not repeated in {@link #headers()}. The same event rendered for the same subscription gives the same
 * bytes on every attempt, except where a format signs the send time (Standard Webhooks' timestamp).
 */
public record OutboundRequest(byte[] body, String contentType, Map<String, String> headers) {

    public OutboundRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A header by name, case-insensitively ({@code Content-Type} included); null when absent. */
    public String header(String name) {
        if ("content-type".equalsIgnoreCase(name)) return contentType;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) return header.getValue();
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Header values are left out: they carry credentials (a bearer secret, a static token). */
    @Override
    public String toString() {
        return "OutboundRequest[contentType=" + contentType + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes]";
    }
}
