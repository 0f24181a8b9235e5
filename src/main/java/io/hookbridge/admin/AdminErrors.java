package io.hookbridge.admin;

import java.util.Map;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The JSON errors of the event log and subscription controls (the same shapes as {@link AdminController}'s). */
@RestControllerAdvice(assignableTypes = {EventLogController.class, SubscriptionControlsController.class})
class AdminErrors {

    private static final Logger log = LoggerFactory.getLogger(AdminErrors.class);

    @ExceptionHandler(BadParameter.class)
    ResponseEntity<Map<String, Object>> badParameter(BadParameter e) {
        Map<String, Object> body = AdminController.error("invalid_request", e.getMessage());
        body.put("parameter", e.parameter());
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(AdminController.UnknownSubscription.class)
    ResponseEntity<Map<String, Object>> unknown(AdminController.UnknownSubscription e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                .body(AdminController.error("unknown_subscription", e.getMessage()));
    }

    @ExceptionHandler(UnknownEvent.class)
    ResponseEntity<Map<String, Object>> unknownEvent(UnknownEvent e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                .body(AdminController.error("unknown_event", e.getMessage()));
    }

    @ExceptionHandler(JMSException.class)
    ResponseEntity<Map<String, Object>> brokerFailed(JMSException e) {
        log.warn("admin request failed at the broker: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, io.hookbridge.web.ErrorAnswers.RETRY_AFTER_SECONDS)
                .body(AdminController.error("unavailable", "the broker could not answer: " + e.getMessage()));
    }

    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<Map<String, Object>> indexFailed(org.springframework.dao.DataAccessException e) {
        log.warn("admin request failed at the event index: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, io.hookbridge.web.ErrorAnswers.RETRY_AFTER_SECONDS)
                .body(AdminController.error("unavailable", "the event index could not answer"));
    }

    @ExceptionHandler(IndexOff.class)
    ResponseEntity<Map<String, Object>> indexOff(IndexOff e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                .body(AdminController.error("index_off", e.getMessage()));
    }

    /** A request the event index answers, with the index off: answered 409, saying so. */
    static final class IndexOff extends RuntimeException {
        IndexOff() {
            super("the event index is off (hookbridge.index.enabled=false): no event is listed, looked up or replayed from it; "
                    + "dead letters can still be replayed with \"from\": \"dead-letters\"", null, false, false);
        }

        static void unless(io.hookbridge.index.EventIndex index) {
            if (!index.enabled()) throw new IndexOff();
        }
    }

    /** An event id the index does not hold: answered 404. */
    static final class UnknownEvent extends RuntimeException {
        UnknownEvent(String detail) {
            super(detail, null, false, false);
        }
    }
}
