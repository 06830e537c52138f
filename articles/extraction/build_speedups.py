"""Build the C speed-ups of the extraction engine in place: `python articles/extraction/build_speedups.py`.

Run it as a script: `python -m articles.extraction.build_speedups` imports the package first, which
loads the extensions already built, and fails when their functions have changed since.

`make run`, `make test` and `make bench` call it. It needs a C compiler and Python's headers; without
them it says so and exits 0, and the engine uses its pure-Python path (same output, slower).
`--require` makes a missing compiler an error (CI, where the benchmark figures depend on it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {
    "_hashed": HERE / "_hashed.c",
    "_cues": HERE / "_cues.c",
    "_language": HERE / "_language.c",
    "_prefilter": HERE / "_prefilter.c",
}
# No -ffast-math and no contraction into fused multiply-adds: the C code must round exactly as numpy.
FLAGS = ["-O2", "-shared", "-fPIC", "-std=c11", "-ffp-contract=off", "-fno-fast-math", "-Wall"]


def target(name: str) -> Path:
    return HERE / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"


def build(*, require: bool = False) -> int:
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    include = sysconfig.get_paths()["include"]
    if compiler is None or not (Path(include) / "Python.h").exists():
        print(
            "C speed-ups not built (no C compiler or no Python.h): the extraction engine uses its "
            "pure-Python path, same output, slower.",
            file=sys.stderr,
        )
        return 1 if require else 0
    for name, source in SOURCES.items():
        out = target(name)
        if out.exists() and out.stat().st_mtime >= source.stat().st_mtime:
            continue
        tmp = out.with_suffix(".tmp")
        subprocess.run([compiler, *FLAGS, f"-I{include}", str(source), "-o", str(tmp), "-lm"], check=True)
        tmp.replace(out)  # atomic: a running worker never loads a half-written file
        print(f"built {out.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(build(require="--require" in sys.argv[1:]))
