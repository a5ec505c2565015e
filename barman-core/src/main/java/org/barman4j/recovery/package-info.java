/**
 * Restore and point-in-time recovery, usually reached through {@link org.barman4j.Barman#restore}: {@link org.barman4j.recovery.BackupChooser} picks the backup
 * (identifier, name, shortcut, or {@code auto} by the recovery target), {@link
 * org.barman4j.recovery.BackupRestore} downloads and extracts its tars in parallel into a new data
 * directory without ever writing outside it, and {@link org.barman4j.recovery.RecoveryConfigWriter}
 * writes the {@code restore_command}, the {@link org.barman4j.recovery.RecoveryTarget} and the signal
 * file as Barman's {@code barman restore} does.
 *
 * <pre>{@code
 * BackupInfo backup = new BackupChooser(new BackupCatalog(backend, layout))
 *     .choose(BackupChoice.newestReaching(target));
 * new BackupRestore(backend, layout).restore(backup, RestoreOptions.into(Path.of("/var/lib/pg/restored"))
 *     .withRecovery(RecoveryConfig.of(restoreCommand).withTarget(target).withAction(TargetAction.PROMOTE)));
 * }</pre>
 */
package org.barman4j.recovery;
