"""The benchmark's process measurement: wall time, CPU time and peak memory of a whole process tree."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import measure  # noqa: E402

MB = 1024 * 1024
# Touch one byte per page in place: an extended-slice assignment makes transient copies that
# a sampler catches more often on a busy machine.
HOLD = ("import time; b = bytearray({mb} * 1024 * 1024)\n"
        "for i in range(0, len(b), 4096): b[i] = 1\n"
        "time.sleep({s})")


def test_single_process_peak_and_cpu():
    m = measure.run([sys.executable, "-c", HOLD.format(mb=120, s=0.3)])
    assert m.ok and m.returncode == 0
    assert 120 * MB <= m.peak_rss < 300 * MB
    assert m.wall >= 0.3 and 0 < m.cpu < m.wall + 1
    assert m.samples > 3 and m.max_procs == 1


def test_tree_memory_is_summed_over_children():
    child = HOLD.format(mb=100, s=0.6)
    script = (f"import subprocess, sys; ps = [subprocess.Popen([sys.executable, '-c', {child!r}]) "
              "for _ in range(2)]; [p.wait() for p in ps]")
    m = measure.run([sys.executable, "-c", script], with_pss=True)
    assert m.ok
    assert m.max_procs == 3
    # The largest single process holds ~100 MB; the tree holds two of them at once.
    assert m.peak_rss >= 200 * MB
    assert m.peak_pss is not None and m.peak_pss >= 180 * MB


def test_failure_and_output_are_reported():
    m = measure.run([sys.executable, "-c", "import sys; print('out'); sys.exit('boom')"])
    assert not m.ok and m.returncode == 1
    assert m.stdout.strip() == "out" and "boom" in m.stderr
