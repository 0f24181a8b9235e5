package io.hookbridge.vendor;

/** A problem with a vendor definition, at a JSON pointer into the file (turned into a line number by the catalog). */
public final class DefinitionException extends IllegalArgumentException {

    private final String path;

    public DefinitionException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** JSON pointer of the part that is wrong, "" for the whole file. */
    public String path() {
        return path;
    }

    /** The same problem, one level further down the file ({@code prefix} + this path). */
    public DefinitionException under(String prefix) {
        return new DefinitionException(prefix + path, getMessage());
    }
}
