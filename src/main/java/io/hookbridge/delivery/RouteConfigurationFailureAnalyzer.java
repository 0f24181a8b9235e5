package io.hookbridge.delivery;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up stops on a bad route file with one readable message instead of a stack trace. */
public class RouteConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RouteConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RouteConfigurationException cause) {
        return new FailureAnalysis("Invalid route file: " + cause.getMessage(),
                "Fix that line (see README, \"Writing routes\"; `java -jar hookbridge.jar validate` checks every file) and start HookBridge again.", cause);
    }
}
