/** Host mounts of any provider through /dev/fuse. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.jvirtiofs.devfuse;
