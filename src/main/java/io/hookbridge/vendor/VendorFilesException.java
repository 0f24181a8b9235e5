package io.hookbridge.vendor;

import java.util.List;

/** Vendor files HookBridge cannot start with; the message lists them as {@code file:line: problem}. */
public class VendorFilesException extends IllegalStateException {

    public VendorFilesException(List<String> problems) {
        super("vendor definitions have problems:\n  " + String.join("\n  ", problems));
    }
}
