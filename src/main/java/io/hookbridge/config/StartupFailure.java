package io.hookbridge.config;

/**
 * A mistake HookBridge cannot start with, said once: what is wrong (a property, a file) and where. Reported by
 * {@link StartupFailureAnalyzer} as one message instead of a stack trace.
 */
public class StartupFailure extends RuntimeException {

    private final String action;

    public StartupFailure(String problem, String action) {
        super(problem, null, false, false);
        this.action = action;
    }

    public String action() {
        return action;
    }

    /** The innermost message of a chain of causes, the one that says what went wrong. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
