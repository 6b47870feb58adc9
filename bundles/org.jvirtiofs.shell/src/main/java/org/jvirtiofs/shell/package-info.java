/**
 * The Gogo shell commands of jvirtiofs: {@code share:*}, {@code provider:*}, {@code vm:*}, and an
 * {@code exit} that stops the framework (Gogo's is {@code System.exit}). Each command is a DS
 * component that parses its arguments ({@link org.jvirtiofs.shell.ShareArguments}), calls the
 * {@code ShareManager} service and prints aligned text ({@link org.jvirtiofs.shell.Table}); an
 * error is one line on the error stream, prefixed with the command's name.
 *
 * <p>Nothing here is exported: the commands reach the shell through the service registry.
 */
package org.jvirtiofs.shell;
