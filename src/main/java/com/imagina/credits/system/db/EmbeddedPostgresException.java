package com.imagina.credits.system.db;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The embedded PostgreSQL could not be started. The message is always one sentence that says why and
 * what to do, because {@link EmbeddedPostgresFailureAnalyzer} shows it to the operator instead of a stack
 * trace; details (the postgres log tail) go to the debug log and the log file in the data directory.
 */
class EmbeddedPostgresException extends IllegalStateException {
    private static final String PREFIX = "The embedded PostgreSQL could not start: ";

    EmbeddedPostgresException(String reason) {
        super(sentence(reason));
    }

    EmbeddedPostgresException(String reason, Throwable cause) {
        super(sentence(reason), cause);
    }

    /** An I/O failure in words ("/x/y: permission denied"), without the exception class name. */
    static String describe(IOException e) {
        String what;
        if (e instanceof AccessDeniedException) what = "permission denied";
        else if (e instanceof NoSuchFileException) what = "no such file or directory";
        else if (e instanceof FileAlreadyExistsException) what = "already exists";
        else if (e instanceof NotDirectoryException) what = "not a directory";
        else if (e instanceof FileSystemException f && f.getReason() != null) what = f.getReason();
        else what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " + what : what;
    }

    /** One line, one trailing full stop, whatever the reason text looked like (it may quote postgres). */
    private static String sentence(String reason) {
        String text = reason.replaceAll("\\s+", " ").trim();
        while (text.endsWith(".")) text = text.substring(0, text.length() - 1);
        return PREFIX + text + ".";
    }
}
