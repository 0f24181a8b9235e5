package io.hookbridge.delivery;

/** A route file HookBridge cannot start with: the message names the file, the line and the problem. */
public class RouteConfigurationException extends RuntimeException {

    public RouteConfigurationException(String file, int line, String problem) {
        super(file + ", line " + line + ": " + problem, null, false, false);
    }
}
