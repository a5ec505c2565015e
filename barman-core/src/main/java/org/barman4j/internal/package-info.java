/**
 * Implementation helpers shared by the core packages and Barman4J's own modules (Python literals and times
 * of {@code backup.info}, JSON output, Unix-socket connections, error wording); not part of the API.
 */
package org.barman4j.internal;
