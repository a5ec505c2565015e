/**
 * The in-memory storage backend ({@code mem://NAME[/prefix]}, provider id {@code memory}): part of
 * barman-core, so that tests and trials need no store and no other jar. Nothing in it is durable.
 */
package org.barman4j.storage.memory;
