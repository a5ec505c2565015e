/**
 * Talking to PostgreSQL over JDBC: {@link org.barman4j.postgres.ConnectionSettings} resolves libpq-style
 * options and environment, {@link org.barman4j.postgres.PostgresSession} reads what a backup needs and
 * starts and stops non-exclusive backups.
 */
package org.barman4j.postgres;
