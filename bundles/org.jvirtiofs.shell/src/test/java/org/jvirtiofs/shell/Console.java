package org.jvirtiofs.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;

/** Captures what a command prints on System.out and System.err, as Gogo's ThreadIO would. */
final class Console {
    final String out;
    final String err;

    private Console(String out, String err) {
        this.out = out;
        this.err = err;
    }

    /** A session that only knows its current directory, all the commands ask of it. */
    static CommandSession session(Path cwd) {
        return (CommandSession) Proxy.newProxyInstance(Console.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("currentDir") && args == null) {
                        return cwd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Runs {@code command} with both streams captured. */
    static Console run(Runnable command) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            command.run();
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Console(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
