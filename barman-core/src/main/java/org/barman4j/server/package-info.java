/**
 * The catalogue of Barman's server-side {@code barman} on disk: the directory layout under
 * {@code barman_home}, {@code xlog.db}, {@code identity.json}, lock file names and the backups found in
 * {@code base/}; the WAL archiver ({@link org.barman4j.server.WalArchiver}) and retention and deletion of
 * backups ({@link org.barman4j.server.ServerRetention}). Files are written in the formats Barman 3.4
 * reads; readers also accept what later 3.x releases write.
 */
package org.barman4j.server;
