#!/usr/bin/env python3
"""What the durability settings cost one upload on this disk: the blobs of a 12 MP photo written and
renamed with and without fsync (files and folders), and one SQLite commit in WAL mode with
synchronous=FULL and OFF. Usage: bench/fsync-cost.py [scratch folder on the disk that holds storage.dir]"""
import os, shutil, time, statistics, sqlite3, sys
d = sys.argv[1] if len(sys.argv) > 1 else "target/fsync-cost"
shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
data = {"original": os.urandom(4_167_727), "medium.jpg": os.urandom(154_883), "small.jpg": os.urandom(30_837)}
def blobs(sync, i):
    t = time.perf_counter()
    folder = os.path.join(d, f"b{i}"); os.makedirs(folder)
    for name, b in data.items():
        tmp = os.path.join(d, f"s{i}{name}")
        with open(tmp, "wb") as f:
            f.write(b)
            if sync: f.flush(); os.fsync(f.fileno())
        os.rename(tmp, os.path.join(folder, name))
    if sync:
        for p in (folder, d):
            fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.close(fd)
    return (time.perf_counter() - t) * 1000
def rows(mode, n=50):
    path = os.path.join(d, f"db-{mode}.db")
    c = sqlite3.connect(path, isolation_level=None); c.execute("PRAGMA journal_mode=WAL"); c.execute(f"PRAGMA synchronous={mode}")
    c.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    out = []
    for i in range(n):
        t = time.perf_counter(); c.execute("INSERT INTO t (v) VALUES (?)", ("x" * 2000,)); out.append((time.perf_counter() - t) * 1000)
    c.close()
    return out
for rnd in range(2):
    a = [blobs(True, f"{rnd}y{i}") for i in range(30)]; b = [blobs(False, f"{rnd}n{i}") for i in range(30)]
    print(f"round {rnd}: blobs of one upload (4.2 MB + 155 KB + 31 KB) synced: median {statistics.median(a):.2f} ms; unsynced: {statistics.median(b):.2f} ms")
    print(f"round {rnd}: SQLite WAL insert commit, synchronous=FULL: median {statistics.median(rows('FULL')):.3f} ms; OFF: {statistics.median(rows('OFF')):.3f} ms")
shutil.rmtree(d)
