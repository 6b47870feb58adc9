package org.jvirtiofs.vm.qemu;

/** QEMU answered a QMP command with an error, or the monitor is gone. */
final class QmpException extends Exception {
    private static final long serialVersionUID = 1L;

    /** QMP's error class ("GenericError", "DeviceNotFound", ...), or "" when the connection failed. */
    private final String errorClass;

    QmpException(String errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    String errorClass() {
        return errorClass;
    }
}
