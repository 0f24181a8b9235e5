package io.hookbridge.delivery;

/** One thing wrong with a route (or vendor) file, printed the way compilers do: {@code file:line: problem}. */
public record RouteProblem(String file, int line, String problem) implements Comparable<RouteProblem> {

    @Override
    public String toString() {
        return file + ":" + line + ": " + problem;
    }

    @Override
    public int compareTo(RouteProblem other) {
        int byFile = file.compareTo(other.file);
        return byFile != 0 ? byFile : Integer.compare(line, other.line);
    }
}
