/**
 * What Barman4J's command-line frontends share: an argparse-compatible parser, barman-cloud's exit codes and
 * the mapping of failures to them; not part of the API.
 */
package org.barman4j.internal.cli;
