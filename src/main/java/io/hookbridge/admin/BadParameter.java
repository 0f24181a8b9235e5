package io.hookbridge.admin;

/** A query parameter or request body field the admin API cannot use: answered 400 naming it. */
final class BadParameter extends RuntimeException {

    private final String parameter;

    BadParameter(String parameter, String detail) {
        super(detail, null, false, false);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
