/**
 * An S3-compatible server (S3Proxy) on a loopback port for integration tests and benchmarks:
 * {@link org.barman4j.testing.s3.S3TestServer}, in-process or as its own process.
 */
package org.barman4j.testing.s3;
