package org.jvirtiofs.vm.qemu;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QMP client (QEMU's JSON machine protocol, docs/interop/qmp-spec): one connection, commands
 * answered in order by id, asynchronous events handed to listeners and written to the log. A
 * reader thread owns the input; any thread may send a command.
 */
final class QmpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    /** Events that are only chatter in the log. */
    private static final List<String> QUIET_EVENTS = List.of("RTC_CHANGE", "NIC_RX_FILTER_CHANGED");

    private final UnixSocket socket;
    private final String vm;
    private final JsonReader input;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<EventWait> waits = new CopyOnWriteArrayList<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    /** One asynchronous QMP event. */
    record QmpEvent(String name, JsonObject data) {
    }

    private record EventWait(Predicate<QmpEvent> match, CompletableFuture<QmpEvent> result) {
    }

    private QmpClient(UnixSocket socket, String vm) {
        this.socket = socket;
        this.vm = vm;
        this.input = new JsonReader(new InputStreamReader(socket.input(), StandardCharsets.UTF_8));
        // QMP is a stream of JSON documents, one after the other
        this.input.setLenient(true);
        this.reader = new Thread(this::readLoop, "qmp-" + vm);
        this.reader.setDaemon(true);
    }

    /**
     * Connects to the QMP socket, reads the greeting and leaves capabilities negotiation mode.
     *
     * @param vm the VM's name, for the log and thread names
     * @param alive false once QEMU has exited
     */
    static QmpClient connect(Path path, String vm, long timeoutMillis, BooleanSupplier alive)
            throws IOException, QmpException {
        UnixSocket socket = UnixSocket.connect(path, timeoutMillis, alive);
        QmpClient client = new QmpClient(socket, vm);
        // a QEMU stuck before its main loop (a vhost-user backend that does not answer) never
        // greets: give up on it in time rather than block the caller forever
        AtomicBoolean greeted = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> {
            if (!greeted.get()) {
                timedOut.set(true);
                socket.close();
            }
        });
        try {
            JsonElement greeting;
            try {
                greeting = client.next();
                // QEMU 7.2 sends events to a monitor it has accepted but not yet greeted: a
                // client that connects as QEMU starts can read RESUME before the greeting
                while (isEvent(greeting)) {
                    LOG.debug("vm {}: QEMU event before its QMP greeting: {}", vm, greeting);
                    greeting = client.next();
                }
                greeted.set(true);
            } catch (IOException e) {
                throw timedOut.get() ? new IOException("QEMU did not greet on QMP within " + timeoutMillis + " ms") : e;
            }
            if (greeting == null || !greeting.isJsonObject() || !greeting.getAsJsonObject().has("QMP")) {
                throw new IOException("not a QMP greeting on " + path + ": " + greeting);
            }
            client.reader.start();
            client.execute("qmp_capabilities", null);
            return client;
        } catch (IOException | QmpException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Runs a command and returns its "return" value (an empty object when QEMU returns none).
     *
     * @throws QmpException for QEMU's error reply (its class and description), a closed
     *     connection, or no answer within 30 s
     */
    JsonElement execute(String command, JsonObject arguments) throws QmpException {
        return execute(command, arguments, 30_000);
    }

    /** {@link #execute(String, JsonObject)} with its own time limit. */
    JsonElement execute(String command, JsonObject arguments, long timeoutMillis) throws QmpException {
        long id = ids.incrementAndGet();
        JsonObject request = new JsonObject();
        request.addProperty("execute", command);
        if (arguments != null) {
            request.add("arguments", arguments);
        }
        request.addProperty("id", id);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (closed) {
                throw new QmpException("", "QMP connection of vm " + vm + " is closed");
            }
            socket.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            JsonObject reply = answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                JsonObject error = reply.getAsJsonObject("error");
                throw new QmpException(string(error, "class"), command + ": " + string(error, "desc"));
            }
            JsonElement ret = reply.get("return");
            return ret != null ? ret : new JsonObject();
        } catch (IOException | ExecutionException e) {
            throw new QmpException("", command + ": the QMP connection failed: " + rootMessage(e));
        } catch (TimeoutException e) {
            throw new QmpException("", command + ": QEMU did not answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("", command + ": interrupted");
        } finally {
            pending.remove(id);
        }
    }

    /**
     * A future of the first event from now that {@code match} accepts: register it before the
     * command that causes the event, so the event cannot slip by in between.
     */
    CompletableFuture<QmpEvent> nextEvent(Predicate<QmpEvent> match) {
        EventWait w = new EventWait(match, new CompletableFuture<>());
        waits.add(w);
        w.result().whenComplete((e, t) -> waits.remove(w));
        return w.result();
    }

    /**
     * Hands every event to {@code listener}, on the reader's thread: it must not wait for QEMU
     * (a command's answer arrives on that same thread).
     */
    void listen(Consumer<QmpEvent> listener) {
        listeners.add(listener);
    }

    /** Whether the connection is open. */
    boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        failAll("QMP connection of vm " + vm + " closed");
    }

    private static boolean isEvent(JsonElement message) {
        return message != null && message.isJsonObject() && message.getAsJsonObject().has("event")
                && !message.getAsJsonObject().has("QMP");
    }

    private JsonElement next() throws IOException {
        try {
            if (input.peek() == JsonToken.END_DOCUMENT) {
                return null;
            }
            return JsonParser.parseReader(input);
        } catch (JsonParseException e) {
            throw new IOException("QMP sent malformed JSON: " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        try {
            for (JsonElement e; (e = next()) != null;) {
                if (!e.isJsonObject()) {
                    LOG.warn("vm {}: QMP sent a non-object: {}", vm, e);
                    continue;
                }
                dispatch(e.getAsJsonObject());
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("vm {}: QMP connection ended: {}", vm, e.toString());
            }
        } finally {
            closed = true;
            failAll("QMP connection of vm " + vm + " ended");
        }
    }

    private void dispatch(JsonObject message) {
        if (message.has("event")) {
            QmpEvent event = new QmpEvent(string(message, "event"),
                    message.has("data") && message.get("data").isJsonObject() ? message.getAsJsonObject("data")
                            : new JsonObject());
            if (!QUIET_EVENTS.contains(event.name())) {
                LOG.info("vm {}: QEMU event {} {}", vm, event.name(), event.data());
            }
            for (Consumer<QmpEvent> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException ex) {
                    LOG.warn("vm {}: a QMP event listener failed: {}", vm, ex.toString());
                }
            }
            for (EventWait w : waits) {
                if (w.match().test(event)) {
                    w.result().complete(event);
                }
            }
            return;
        }
        JsonElement id = message.get("id");
        CompletableFuture<JsonObject> f = id != null && id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()
                ? pending.get(id.getAsLong()) : null;
        if (f != null) {
            f.complete(message);
        } else {
            LOG.debug("vm {}: QMP reply nobody waits for: {}", vm, message);
        }
    }

    private void failAll(String why) {
        IOException gone = new IOException(why);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        waits.forEach(w -> w.result().completeExceptionally(gone));
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
