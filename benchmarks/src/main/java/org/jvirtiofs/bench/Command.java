package org.jvirtiofs.bench;

import java.util.function.Function;

/** What bin/bench's entry points share: bad options get one line and status 2, a run its own status. */
final class Command {
    private Command() {
    }

    /** A benchmark run from its parsed settings; returns its exit status. */
    interface Run<S> {
        int run(S settings) throws Exception;
    }

    /** Parses {@code args}, then runs; returns the exit status: 2 for bad options, else the run's. */
    static <S> int execute(String[] args, Function<String[], S> parse, Run<S> run) throws Exception {
        S settings;
        try {
            settings = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        return run.run(settings);
    }

    /** Exits the JVM with {@code status} unless it is 0. */
    static void exit(int status) {
        if (status != 0) {
            System.exit(status);
        }
    }
}
