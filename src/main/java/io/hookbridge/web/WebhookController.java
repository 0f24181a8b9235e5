package io.hookbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.ingest.IngestResult;
import io.hookbridge.ingest.IngestService;
import io.hookbridge.source.WebhookException;

/** {@code POST /webhooks/{source}}: the vendors' door. */
@RestController
public class WebhookController {

    private final IngestService ingest;
    private final int maxBodyBytes;

    public WebhookController(IngestService ingest, HookBridgeProperties properties) {
        this.ingest = ingest;
        this.maxBodyBytes = properties.getHttp().getMaxBodyBytes();
    }

    @PostMapping(path = "/webhooks/{source}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> receive(@PathVariable("source") String source,
                                                       HttpServletRequest request) throws IOException {
        byte[] body = readBody(request);
        IngestResult result = ingest.receive(source, body, request::getHeader);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", result.id());
        answer.put("type", result.type());
        answer.put("duplicate", result.duplicate());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
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
}
