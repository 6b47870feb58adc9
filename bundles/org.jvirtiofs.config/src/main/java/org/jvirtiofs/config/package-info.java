/**
 * Reading factory configurations the way the platform's managers do: {@link
 * org.jvirtiofs.config.ConfigValues} takes a configuration's values, typed by Config Admin or
 * strings from a FileInstall file, with errors that name the key; {@link
 * org.jvirtiofs.config.FactoryConfigurations} gives a configuration its name; {@link
 * org.jvirtiofs.config.StoredConfigurations} finds one in Config Admin without making one.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.jvirtiofs.config;
