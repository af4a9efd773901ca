"""A wheel of supajobs installed into a fresh venv outside the checkout, as a user has it.

The venv gets the wheel with pip (--no-deps) and borrows the third-party dependencies from
the dev venv through a .pth line: a .pth in a path added that way is not run, so the dev
venv's editable supajobs cannot shadow the wheel (the test checks which one it imported).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class WheelEnv:
    root: Path
    wheel: Path
    cwd: Path  # a folder outside the checkout

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def site_packages(self) -> Path:
        out = self.run_python("import sysconfig; print(sysconfig.get_paths()['purelib'])")
        return Path(out.stdout.strip())

    def run_python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.python), "-c", code], capture_output=True, text=True,
                              check=True, cwd=self.cwd, env=clean_env())

    def supajobs(self, *args: str, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.root / "bin" / "supajobs"), *args], capture_output=True,
                              text=True, cwd=self.cwd, env=env or clean_env(), timeout=300)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus everything that would point back into the checkout."""
    keep = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "SUPABASE_BIN", "VIRTUAL_ENV", "COV_CORE_SOURCE",
                         "COV_CORE_CONFIG", "COV_CORE_DATAFILE")}
    keep["PATH"] = os.pathsep.join(p for p in keep.get("PATH", "").split(os.pathsep)
                                   if not p.startswith(str(CHECKOUT)))
    keep.update(extra)
    return keep


def build_wheel(out: Path) -> Path:
    """Build from a copy of the sources: setuptools reuses a checkout's build/ folder, which
    would hand the test files an earlier build left there."""
    source = out / "source"
    for part in ("pyproject.toml", "README.md", "sdk", "worker", "supabase"):
        origin = CHECKOUT / part
        if origin.is_dir():
            shutil.copytree(origin, source / part, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".temp", "*.egg-info"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, source / part)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(out), str(source)], check=True, capture_output=True)
    return next(out.glob("supajobs-*.whl"))


def make_wheel_env(base: Path) -> WheelEnv:
    wheel = build_wheel(base / "dist")
    root = base / "venv"
    venv.EnvBuilder(with_pip=False).create(root)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"),
                    "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    env = WheelEnv(root, wheel, base / "elsewhere")
    env.cwd.mkdir()
    (env.site_packages() / "zz_dev_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    return env
