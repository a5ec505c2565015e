/**
 * Base backups in barman-cloud's format: {@link org.barman4j.backup.BaseBackup} streams the data directory
 * and tablespaces of a running server, walked with PostgreSQL's exclusion rules
 * ({@link org.barman4j.backup.PgDataWalker}), into PAX tars that are split at a maximum size, compressed
 * in parallel with bounded memory and committed to storage part by part, then records them in
 * {@code backup.info}.
 */
package org.barman4j.backup;
