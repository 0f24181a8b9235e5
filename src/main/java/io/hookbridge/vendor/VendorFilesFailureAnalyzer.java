package io.hookbridge.vendor;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up stops on a bad vendor file with one readable message instead of a stack trace. */
public class VendorFilesFailureAnalyzer extends AbstractFailureAnalyzer<VendorFilesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, VendorFilesException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix those lines (see README, \"Writing vendors\"; "
                + "java -jar hookbridge.jar validate checks them without starting) and start HookBridge again.", cause);
    }
}
