package org.jvirtiofs.shell;

import java.io.PrintStream;

/**
 * Runs a command's body and turns a failure into one line on the error stream, prefixed with
 * the command's name, as an operator should see it: never a stack trace.
 */
final class CommandErrors {
    private CommandErrors() {
    }

    /** A command's body; it may throw the manager's {@link IllegalArgumentException}s. */
    interface Body {
        void run() throws InterruptedException;
    }

    /** Runs {@code body}; on failure prints {@code "command: message"} to {@code err}. */
    static void run(String command, PrintStream err, Body body) {
        try {
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the operator stopped it: not an error
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println(command + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // not one of the manager's one-line refusals: name the exception, still on one line
            err.println(command + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
    }
}
