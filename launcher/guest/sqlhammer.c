/*
 * sqlhammer: SQLite writing on a share while the host reads the same database.
 *
 * Inserts ROWS rows into table t of DB, ten per transaction, under SQLite's own (POSIX) locks,
 * then prints "JVFS-SQL: ROWS rows, integrity ok" (or the integrity_check result). The host
 * test reads concurrently and must never see a partial transaction or a corrupt file.
 *
 * Usage: sqlhammer DB ROWS
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec_or_die(sqlite3 *db, const char *sql) {
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "sqlhammer: %s: %s\n", sql, err ? err : sqlite3_errstr(rc));
        exit(1);
    }
    return rc;
}

static int print_row(void *out, int columns, char **values, char **names) {
    (void) names;
    if (columns > 0 && values[0] != NULL) {
        snprintf((char *) out, 256, "%s", values[0]);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sqlhammer DB ROWS\n");
        return 2;
    }
    int rows = atoi(argv[2]);
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "sqlhammer: open %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_busy_timeout(db, 30000);
    exec_or_die(db, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    char sql[256];
    for (int i = 0; i < rows; i += 10) {
        exec_or_die(db, "BEGIN IMMEDIATE");
        for (int j = i; j < i + 10 && j < rows; j++) {
            snprintf(sql, sizeof sql, "INSERT INTO t(id, v) VALUES (%d, printf('%%0200d', %d))", j, j);
            exec_or_die(db, sql);
        }
        exec_or_die(db, "COMMIT");
    }
    char result[256] = "";
    char *err = NULL;
    if (sqlite3_exec(db, "PRAGMA integrity_check", print_row, result, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlhammer: integrity_check: %s\n", err);
        return 1;
    }
    printf("JVFS-SQL: %d rows, integrity %s\n", rows, result);
    sqlite3_close(db);
    return strcmp(result, "ok") == 0 ? 0 : 1;
}
