package org.jvirtiofs.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** Command lines run through Gogo's CommandProcessor as an operator types them, with what each printed. */
final class Gogo {
    private static final Pattern LOG_LINE = Pattern.compile("\\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - .*");

    private Gogo() {
    }

    /** What one command line printed on its output and (log lines left out) its error stream. */
    record Printed(String out, String err) {
    }

    /** Waits (10 s at most) until commands of every scope in {@code scopes} are registered. */
    static void awaitCommands(org.osgi.framework.BundleContext context, String... scopes) throws Exception {
        for (String scope : scopes) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (context.getServiceReferences((String) null, "(osgi.command.scope=" + scope + ")") == null) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no " + scope + ":* commands registered");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Runs {@code line} in a new session whose input is empty. */
    static Printed run(CommandProcessor processor, String line) throws Exception {
        return run(processor, line, new ByteArrayInputStream(new byte[0]));
    }

    /** Runs {@code line} in a new session reading {@code keyboard}, as if typed at the shell. */
    static Printed run(CommandProcessor processor, String line, java.io.InputStream keyboard) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(keyboard, out, err)) {
            Object result = session.execute(line);
            if (result != null) {
                // what the shell prints of a returned value (help returns its text)
                session.getConsole().println(session.format(result, Converter.INSPECT));
            }
            session.getConsole().flush();
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        String errors = withoutLogLines(err.toString(StandardCharsets.UTF_8));
        System.out.println("$ " + line + "\n" + printed + errors);
        return new Printed(printed, errors);
    }

    /** The error stream without the framework's log lines (slf4j-simple writes to System.err, which Gogo redirects). */
    private static String withoutLogLines(String err) {
        return err.lines().filter(l -> !LOG_LINE.matcher(l).matches()).map(l -> l + "\n").collect(Collectors.joining());
    }
}
