"""Barman's own barman-cloud-restore (python3-barman) on a local directory laid out like a bucket.

Usage: python3 barman34_cloud_restore.py ROOT SERVER_NAME BACKUP_ID RECOVERY_DIR [--tablespace NAME:LOCATION ...]

Only the transport is replaced: a CloudInterface whose keys are the files under ROOT. Catalogue reading,
tar selection by suffix, stream extraction with tarfile, tablespace links and pg_wal creation are Barman's.
"""
import os
import sys

from barman import cloud
from barman.clients import cloud_restore


class LocalCloudInterface(cloud.CloudInterface):
    MAX_CHUNKS_PER_FILE = 1
    MIN_CHUNK_SIZE = 1 << 40
    MAX_ARCHIVE_SIZE = 1 << 40
    MAX_DELETE_BATCH_SIZE = 100

    def __init__(self, root):
        super(LocalCloudInterface, self).__init__(url="file://" + root, jobs=1)
        self.root = root
        self.bucket_name = "local"
        self.path = ""
        self.bucket_exists = True

    def test_connectivity(self):
        return True

    def _check_bucket_existence(self):
        return True

    def _reinit_session(self):
        pass

    def _keys(self):
        for directory, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                yield os.path.relpath(os.path.join(directory, name), self.root)

    def list_bucket(self, prefix="", delimiter="/"):
        seen = set()
        for key in sorted(self._keys()):
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            item = prefix + rest.split(delimiter)[0] + delimiter if delimiter in rest else key
            if item not in seen:
                seen.add(item)
                yield item

    def remote_open(self, key, decompressor=None):
        path = os.path.join(self.root, key)
        if not os.path.isfile(path):
            return None
        f = open(path, "rb")
        return cloud.DecompressingStreamingIO(f, decompressor) if decompressor else f


LocalCloudInterface.__abstractmethods__ = frozenset()

if __name__ == "__main__":
    root = sys.argv[1]
    cloud_restore.get_cloud_interface = lambda config: LocalCloudInterface(root)
    try:
        cloud_restore.main(["s3://local"] + sys.argv[2:])
    except SystemExit as e:
        sys.exit(e.code)
    sys.exit(0)
