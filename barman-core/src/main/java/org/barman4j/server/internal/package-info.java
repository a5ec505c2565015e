/** Helpers of {@link org.barman4j.server}: not part of the public API. */
package org.barman4j.server.internal;
