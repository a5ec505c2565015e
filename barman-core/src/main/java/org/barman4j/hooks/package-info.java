/**
 * Barman's hook scripts: {@link org.barman4j.hooks.HookEnvironment}, the {@code BARMAN_*} environment in which
 * Barman runs a hook and from which a command called as a hook learns what to work on.
 */
package org.barman4j.hooks;
