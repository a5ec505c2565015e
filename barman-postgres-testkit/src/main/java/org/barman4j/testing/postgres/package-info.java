/**
 * Throwaway PostgreSQL 15 clusters for integration tests, benchmarks and demos: {@link
 * org.barman4j.testing.postgres.PgBinaries} finds the server binaries, {@link
 * org.barman4j.testing.postgres.PostgresCluster} runs a cluster in its own temporary directory
 * (also as root, through an unprivileged user namespace).
 */
package org.barman4j.testing.postgres;
