package io.hookbridge.index;

/**
 * Which events a subscription takes ({@code types} and {@code sources} globs of its route): an indexed event it
 * takes, with no outcome yet, is pending for it.
 */
public record SubscriptionScope(String name, String types, String sources) { }
