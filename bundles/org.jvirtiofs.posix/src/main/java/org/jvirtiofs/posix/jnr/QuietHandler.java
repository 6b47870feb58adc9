package org.jvirtiofs.posix.jnr;

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import jnr.constants.platform.Errno;
import jnr.posix.POSIXHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jnr-posix handler that never reports on its own: we check every return code and errno
 * ourselves, so jnr-posix's convenience paths that call {@code error} are a programming error here.
 */
final class QuietHandler implements POSIXHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QuietHandler.class);

    @Override
    public void error(Errno error, String extraData) {
        throw new IllegalStateException("jnr-posix reported " + error + " for " + extraData);
    }

    @Override
    public void error(Errno error, String methodName, String extraData) {
        throw new IllegalStateException("jnr-posix reported " + error + " in " + methodName + " for " + extraData);
    }

    @Override
    public void unimplementedError(String methodName) {
        throw new UnsupportedOperationException("jnr-posix does not implement " + methodName);
    }

    @Override
    public void warn(WARNING_ID id, String message, Object... data) {
        LOG.debug("jnr-posix {}: {}", id, message);
    }

    @Override
    public boolean isVerbose() {
        return false;
    }

    @Override
    public File getCurrentWorkingDirectory() {
        return new File(System.getProperty("user.dir"));
    }

    @Override
    public String[] getEnv() {
        return System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    @Override
    public InputStream getInputStream() {
        return System.in;
    }

    @Override
    public PrintStream getOutputStream() {
        return System.out;
    }

    @Override
    public int getPID() {
        return (int) ProcessHandle.current().pid();
    }

    @Override
    public PrintStream getErrorStream() {
        return System.err;
    }
}
