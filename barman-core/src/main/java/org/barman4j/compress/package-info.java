/**
 * The compression formats of barman-cloud: gzip, bzip2, xz, zstd, the LZ4 frame format and the snappy
 * framing format, as streams that interoperate with Barman's Python tools and the usual command-line
 * tools.
 *
 * <p>Each format's third-party library is referenced from one package-private class only, so a process
 * that uses gzip never loads the zstd, LZ4, snappy or xz classes or their native libraries.
 */
package org.barman4j.compress;
