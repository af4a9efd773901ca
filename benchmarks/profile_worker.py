"""Where a worker's time goes: CPU seconds per job of the worker process and of PostgreSQL,
for supajobs (listen, concurrency 100 and 8) and pgqueuer (batch_size 100), a cProfile of the
supajobs worker draining the same jobs, and the enqueue cost split (SDK vs. plain SQL).

Usage: .venv/bin/python benchmarks/profile_worker.py   (BENCH_JOBS, default 20,000)
Writes benchmarks/results/profile_worker.txt. Durable profile, same cluster set-up as compare.py.
"""

from __future__ import annotations

import asyncio
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "peers"))

import psutil  # noqa: E402
from _cluster import bench_cluster, use_profile  # noqa: E402
from _enqueue_breakdown import breakdown  # noqa: E402
from _install import install_all  # noqa: E402
from _measure import process_rate, warm_up  # noqa: E402
from _phases import specs  # noqa: E402
from _proc import WorkerSpec, start, stop  # noqa: E402
from _run import clients  # noqa: E402

from supajobs_dev.cluster import free_port  # noqa: E402


def _postgres_cpu(data_dir: Path) -> float:
    postmaster = psutil.Process(int((data_dir / "postmaster.pid").read_text().split()[0]))
    total = 0.0
    for proc in [postmaster, *postmaster.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass  # a backend that exited took its CPU time with it (counted as 0)
    return total


def _cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _one(spec: WorkerSpec, url: str, data_dir: Path, tmp: Path, jobs: int) -> str:
    system = clients(url)[spec.system]
    system.reset()
    running = start(spec, tmp, tmp / "lat")
    try:
        await warm_up(system)
        system.reset()
        worker0, pg0, wall0 = _cpu(running.process.pid), _postgres_cpu(data_dir), time.time()
        rate = await process_rate(system, jobs, timeout=600)
        worker1, pg1, wall1 = _cpu(running.process.pid), _postgres_cpu(data_dir), time.time()
    except Exception:
        print(f"--- {spec.label} log:\n{running.log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        stop(running)
        system.reset()
    return (f"{spec.label}: {rate:,.0f} jobs/s; per job: worker CPU "
            f"{(worker1 - worker0) / jobs * 1e6:.0f} us, PostgreSQL CPU "
            f"{(pg1 - pg0) / jobs * 1e6:.0f} us (live backends), "
            f"wall {(wall1 - wall0) / jobs * 1e6:.0f} us")


async def main() -> None:
    jobs = int(os.environ.get("BENCH_JOBS", "20000"))
    lines: list[str] = []
    with bench_cluster() as cluster, tempfile.TemporaryDirectory() as tmpdir:
        tmp, url = Path(tmpdir), cluster.url()
        use_profile(cluster, "durable")
        await install_all(url)
        profile_only = os.environ.get("BENCH_PROFILE_ONLY") == "1"
        lines += [] if profile_only else await breakdown(url)
        chosen = {s.key: s for s in specs(url, free_port())}
        keys = () if profile_only else ("supajobs_listen_c100", "pgqueuer_b100",
                                         "supajobs_listen_c8")
        for key in keys:
            lines.append(await _one(chosen[key], url, cluster.data_dir, tmp, jobs))
            print(lines[-1], flush=True)
        base = chosen["supajobs_listen_c100"]
        prof = tmp / "worker.prof"
        # base.args = ["-m", "supajobs_worker.main", "listen", ...]: run that under cProfile
        profiled = WorkerSpec(base.label + " under cProfile", "supajobs",
                              ["-m", "cProfile", "-o", str(prof), *base.args],
                              base.settings, key="profiled")
        lines.append(await _one(profiled, url, cluster.data_dir, tmp, jobs))
        out = HERE / "results" / "profile_worker.txt"
        with out.open("w") as fh:
            fh.write("\n".join(lines) + "\n\n")
            stats = pstats.Stats(str(prof), stream=fh)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(40)
    print(f"wrote {out}")


if __name__ == "__main__":
    asyncio.run(main())
