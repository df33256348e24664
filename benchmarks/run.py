"""Benchmark handbook-lint against proselint and textlint, and time the handbook builds.

Builds corpora (see ``corpus.py``), runs every tool on the same files in one run, several
times each (tools interleaved within a repetition, so a busy machine slows them alike),
and prints and writes a Markdown table to ``benchmarks/results.md``.

    python benchmarks/run.py                          # 10k, 100k, 1M words; builds too
    python benchmarks/run.py --sizes 2000 --repeat 1 --tools handbook-lint --skip-build

Words are whitespace-separated tokens of the Markdown files, the same count for every
tool. Peak memory is the largest process's maximum resident set size from
``/usr/bin/time -v`` (or ``getrusage``), and the peak of the summed proportional set size
of the whole process tree (so ``--jobs 2`` workers count), sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

GNU_TIME = Path("/usr/bin/time")
VENV_BIN = Path(sys.executable).parent
DEFAULT_SIZES = [10_000, 100_000, 1_000_000]
TOOL_ORDER = ["handbook-lint-j1", "handbook-lint-j2", "proselint", "textlint"]
TOOL_ALIASES = {"handbook-lint": ["handbook-lint-j1", "handbook-lint-j2"], "all": TOOL_ORDER}
REFERENCE_TOOL = "handbook-lint-j2"
OK_CODES = {0, 1}  # every tool exits 1 when it found something; 2+ is a failure

TARGETS_TEXT = {
    "speed": "handbook-lint --jobs 2 words/s >= 3x proselint on the largest corpus",
    "growth": "largest-corpus time <= 12x the time at a tenth of its size",
    "docs": "`handbook-lint docs/` < 1 s wall time",
    "cached": "cached re-run of `handbook-lint docs/` < 0.3 s",
    "memory": "handbook-lint peak memory < 300 MB at 1M words",
    "make": "full `make` < 30 s after setup",
}


# --------------------------------------------------------------------------------------
# Running one command: wall time, exit code, peak memory
# --------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Peak of the summed PSS of a process's descendants (not the process itself)."""

    def __init__(self, pid: int, interval: float = 0.05, include_root: bool = False):
        super().__init__(daemon=True)
        self.pid, self.interval, self.include_root = pid, interval, include_root
        self.peak_kb = 0
        self._stop_event = threading.Event()
        self.available = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")

    def run(self) -> None:
        if not self.available:
            return
        while not self._stop_event.is_set():
            total, stack = 0, [self.pid] if self.include_root else _children(self.pid)
            while stack:
                p = stack.pop()
                total += _pss_kb(p)
                stack.extend(_children(p))
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class RunResult:
    seconds: float
    returncode: int | None
    max_rss_kb: int | None = None
    tree_kb: int | None = None
    timed_out: bool = False
    error: str = ""
    cpu: float | None = None  # user + system seconds of the whole process tree

    @property
    def ok(self) -> bool:
        return not self.timed_out and not self.error and self.returncode is not None


def run_command(cmd: list[str], *, cwd: Path, timeout: float,
                ok_codes: set[int] = OK_CODES, env: dict | None = None) -> RunResult:
    """Run ``cmd``; stdout is discarded, the last stderr line kept for errors."""
    with tempfile.TemporaryDirectory(prefix="hb-bench-") as tmp:
        time_out = Path(tmp) / "time.txt"
        err_path = Path(tmp) / "stderr.txt"
        full = [str(GNU_TIME), "-v", "-o", str(time_out), *cmd] if GNU_TIME.exists() else cmd
        usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        before = usage0.ru_maxrss
        with open(err_path, "wb") as err:
            start = time.perf_counter()
            try:
                proc = subprocess.Popen(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        env=env)
            except OSError as exc:
                return RunResult(0.0, None, error=f"cannot start: {exc}")
            sampler = TreeSampler(proc.pid, include_root=not GNU_TIME.exists())
            sampler.start()
            timed_out = False
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            seconds = time.perf_counter() - start
            sampler.stop()
        usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
        max_rss = None
        if GNU_TIME.exists() and time_out.exists():
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_out.read_text())
            max_rss = int(m.group(1)) if m else None
        else:
            max_rss = usage1.ru_maxrss if usage1.ru_maxrss > before else None  # a new high
        error = ""
        stderr = err_path.read_text(errors="replace")
        crashed = "Traceback (most recent call last)" in stderr
        if not timed_out and (proc.returncode not in ok_codes or crashed):
            lines = [ln for ln in stderr.splitlines() if ln.strip()]
            error = (f"{'crashed, ' if crashed else ''}exit {proc.returncode}: "
                     f"{lines[-1][:200] if lines else 'no message'}")
        tree = sampler.peak_kb if sampler.available and sampler.peak_kb else None
        return RunResult(seconds, proc.returncode, max_rss, tree, timed_out, error, cpu)


# --------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------
@dataclass
class Tool:
    name: str
    label: str
    argv: list[str] | None = None  # command before the file list; None = missing
    version: str = ""
    missing: str = ""


def _find(name: str) -> str | None:
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0].strip() if out.returncode == 0 and text else ""


def handbook_lint_tool(jobs: int) -> Tool:
    name = f"handbook-lint-j{jobs}"
    label = f"handbook-lint --jobs {jobs}"
    exe = _find("handbook-lint")
    if not exe:
        return Tool(name, label, missing="handbook-lint is not installed in this venv")
    version = _version([exe, "--version"])
    if not version:
        return Tool(name, label, missing="`handbook-lint --version` failed")
    try:
        help_text = subprocess.run([exe, "--help"], capture_output=True, text=True,
                                   timeout=60, cwd=ROOT).stdout
    except (OSError, subprocess.TimeoutExpired):
        help_text = ""
    argv = [exe]
    if "--jobs" in help_text:
        argv += ["--jobs", str(jobs)]
    elif jobs != 1:
        return Tool(name, label, missing="handbook-lint has no --jobs option yet")
    if "--no-cache" in help_text:
        argv.append("--no-cache")
    return Tool(name, label, argv, version=version)


def proselint_tool() -> Tool:
    exe = _find("proselint")
    if not exe:
        return Tool("proselint", "proselint", missing="not installed "
                    "(pip install -e '.[bench]')")
    return Tool("proselint", "proselint (default checks)", [exe, "check"],
                version=_version([exe, "version"]))


def textlint_tool(install: bool) -> Tool:
    label = "textlint + write-good"
    modules = HERE / "node_modules"
    exe = modules / ".bin" / "textlint"
    if not exe.exists() and install and shutil.which("npm"):
        print("installing textlint (npm ci --ignore-scripts) into benchmarks/node_modules ...")
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=HERE, capture_output=True, timeout=600)
    if not exe.exists():
        return Tool("textlint", label, missing="not installed (cd benchmarks && "
                    "npm ci --ignore-scripts)" + ("" if shutil.which("npm") else "; no npm"))
    if not shutil.which("node"):
        return Tool("textlint", label, missing="node is not installed")
    version = _version([str(exe), "--version"])
    return Tool("textlint", label,
                [str(exe), "--no-textlintrc", "--rules-base-directory", str(modules),
                 "--rule", "write-good", "--format", "unix", "--no-color"],
                version=f"textlint {version}" if version else "")


def make_tools(names: list[str], install: bool) -> list[Tool]:
    tools = []
    for name in names:
        if name.startswith("handbook-lint-j"):
            tools.append(handbook_lint_tool(int(name.removeprefix("handbook-lint-j"))))
        elif name == "proselint":
            tools.append(proselint_tool())
        elif name == "textlint":
            tools.append(textlint_tool(install))
    return tools


# --------------------------------------------------------------------------------------
# Statistics and formatting
# --------------------------------------------------------------------------------------
@dataclass
class Measurement:
    tool: Tool
    size: int
    words: int
    files: int
    runs: list[RunResult] = field(default_factory=list)

    @property
    def good(self) -> list[RunResult]:
        return [r for r in self.runs if r.ok]

    @property
    def median(self) -> float | None:
        good = self.good
        return statistics.median(r.seconds for r in good) if good else None

    @property
    def words_per_s(self) -> float | None:
        m = self.median
        return self.words / m if m else None

    @property
    def status(self) -> str:
        if self.tool.missing:
            return f"missing: {self.tool.missing}"
        timeouts = [r for r in self.runs if r.timed_out]
        if timeouts:
            return f"time limit ({timeouts[0].seconds:.0f} s) reached"
        errors = [r.error for r in self.runs if r.error]
        return f"failed: {errors[0]}" if errors else ""

    def peak(self, attr: str) -> int | None:
        values = [getattr(r, attr) for r in self.good if getattr(r, attr)]
        return max(values) if values else None


def fmt_s(x: float | None) -> str:
    return "–" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def fmt_mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f}"


def fmt_int(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def fmt_size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))


# --------------------------------------------------------------------------------------
# Linter benchmark
# --------------------------------------------------------------------------------------
LARGE = 500_000  # corpora this big get --large-repeat runs: each takes minutes


def bench_linters(tools: list[Tool], sizes: list[int], repeat: int, timeout: float,
                  log, corpus_dir: Path = corpus.CORPUS_DIR,
                  large_repeat: int | None = None) -> list[Measurement]:
    results: list[Measurement] = []
    for size in sizes:
        reps = large_repeat if large_repeat and size >= LARGE else repeat
        manifest = corpus.build(size, out_dir=corpus_dir, quiet=True)
        folder = corpus_dir / str(size)
        files = [str(folder / f) for f in manifest["files"]]
        log(f"\n== {fmt_size(size)} words: {manifest['words']:,} words in {len(files)} files "
            f"(handbook text from {manifest['handbook_text_from']})")
        ms = {t.name: Measurement(t, size, manifest["words"], len(files)) for t in tools}
        runnable = [t for t in tools if not t.missing]
        for t in tools:
            if t.missing:
                log(f"   {t.label:28} missing: {t.missing}")
        # one untimed warm-up on the first corpus: page cache, .pyc files, node modules
        if size == sizes[0]:
            for t in runnable:
                run_command(t.argv + files, cwd=ROOT, timeout=timeout)
        for rep in range(reps):
            for t in runnable:
                m = ms[t.name]
                if any(r.timed_out for r in m.runs):
                    continue  # one time-out is enough: do not wait again
                r = run_command(t.argv + files, cwd=ROOT, timeout=timeout)
                m.runs.append(r)
                note = (" TIME LIMIT" if r.timed_out else f" {r.error}" if r.error else "")
                log(f"   {t.label:28} run {rep + 1}/{reps}: {r.seconds:7.2f} s"
                    f"  cpu {r.cpu or 0:7.2f} s  rss {fmt_mb(r.max_rss_kb)} MB  tree {fmt_mb(r.tree_kb)} MB{note}")
        results.extend(ms[t.name] for t in tools)
    return results


# --------------------------------------------------------------------------------------
# Build timings (in a copy of the work tree, never touching the team's docs/_build)
# --------------------------------------------------------------------------------------
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "_build", "_corpus", "_work", ".handbook-lint-cache",
    ".pytest_cache", ".hypothesis", ".ruff_cache", "__pycache__", "*.egg-info", "build",
    "dist")


@dataclass
class BuildStep:
    name: str
    runs: list[RunResult] = field(default_factory=list)
    missing: str = ""

    @property
    def median(self) -> float | None:
        good = [r.seconds for r in self.runs if r.ok]
        return statistics.median(good) if good else None

    @property
    def status(self) -> str:
        if self.missing:
            return f"missing: {self.missing}"
        bad = [r for r in self.runs if not r.ok]
        if not bad:
            return ""
        r = bad[0]
        return "time limit reached" if r.timed_out else f"failed: {r.error or r.returncode}"


def _make_targets(root: Path) -> set[str]:
    makefile = root / "Makefile"
    if not makefile.exists():
        return set()
    return set(re.findall(r"(?m)^([A-Za-z][\w.-]*)\s*:(?!=)", makefile.read_text()))


def _package_dir(hl: str) -> Path | None:
    """The folder of the handbook_lint package that the ``hl`` command runs."""
    python = Path(hl).with_name("python")
    try:
        out = subprocess.run([str(python), "-c", "import handbook_lint; "
                              "print(handbook_lint.__file__)"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()).parent if out.returncode == 0 and out.stdout.strip() \
        else None


def _compile(package: Path | None) -> bool:
    """Compile the package's bytecode (__pycache__), as Python does on any first run
    and pip at a wheel install. Needed here because a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) would compile it again on every run."""
    if package is None:
        return False
    return subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)],
                          capture_output=True).returncode == 0


def bench_builds(repeat: int, timeout: float, log) -> list[BuildStep]:
    steps: list[BuildStep] = []
    if not (ROOT / "docs" / "conf.py").exists():
        return [BuildStep("handbook builds", missing="docs/conf.py does not exist yet")]
    tmp = Path(tempfile.mkdtemp(prefix="hb-bench-build-"))
    try:
        work = tmp / "tree"
        shutil.copytree(ROOT, work, ignore=COPY_IGNORE, symlinks=True)
        for link in (".venv", "node_modules"):
            if (ROOT / link).exists():
                (work / link).symlink_to(ROOT / link)
        env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        targets = _make_targets(work)
        make = shutil.which("make")
        build = work / "docs" / "_build"
        hl_tool = handbook_lint_tool(1)
        hl = hl_tool.argv[0] if hl_tool.argv else None

        def step(name: str, cmd: list[str] | None, times: int = 1, before=None,
                 missing: str = "") -> BuildStep:
            s = BuildStep(name, missing=missing if cmd is None else "")
            steps.append(s)
            if cmd is None:
                log(f"   {name:38} missing: {s.missing}")
                return s
            for _ in range(times):
                if before:
                    before()
                r = run_command(cmd, cwd=work, timeout=timeout, ok_codes={0}, env=env)
                s.runs.append(r)
                note = " TIME LIMIT" if r.timed_out else (f" {r.error}" if r.error else "")
                log(f"   {name:38} {r.seconds:7.2f} s  cpu {r.cpu or 0:7.2f} s{note}")
                if not r.ok:
                    break
            return s

        def clean() -> None:
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(work / ".handbook-lint-cache", ignore_errors=True)

        def sphinx(builder: str) -> list[str]:
            return [str(VENV_BIN / "sphinx-build"), "-q", "-b", builder, "docs",
                    str(build / builder)]

        log("\n== handbook builds (in a copy of the work tree)")
        # `-o setup`: time the builds "after setup", and never let a make in the copy
        # reinstall the shared venv's editable package from a temporary folder.
        mk = [make, "-o", "setup"] if make else []
        html_cmd = [*mk, "html"] if make and "html" in targets else sphinx("html")
        step("HTML from clean", html_cmd, before=clean)
        chapters = sorted((work / "docs" / "chapters").glob("*.md")) or sorted(
            (work / "docs").glob("*.md"))

        def touch() -> None:
            if chapters:
                chapters[0].touch()
        step("HTML after touching one chapter", html_cmd if chapters else None,
             times=repeat, before=touch, missing="no chapter to touch")
        pdf_cmd = [*mk, "pdf"] if make and "pdf" in targets else None
        step("PDF from clean", pdf_cmd, before=clean, missing="no `make pdf` target yet")

        if hl:
            cache = work / ".handbook-lint-cache"
            lint_ok = {0, 1}

            def lint_step(name: str, cmd: list[str], before, step_env=None) -> None:
                s = BuildStep(name)
                steps.append(s)
                for _ in range(repeat):
                    if before:
                        before()
                    r = run_command(cmd, cwd=work, timeout=timeout, ok_codes=lint_ok,
                                    env=step_env() if step_env else env)
                    if r.returncode in lint_ok and not r.error:
                        r.returncode = 0  # alerts found is a normal lint result
                    s.runs.append(r)
                    log(f"   {name:38} {r.seconds:7.3f} s"
                        + (f" {r.error}" if r.error else ""))

            # Bytecode as after any first run (see _compile); the worst case on its own.
            package = _package_dir(hl)
            compiled = _compile(package)
            if not compiled:
                log("   (could not compile the package's bytecode: runs below compile it)")
            # The very first run on a machine also works out the rules' word keys
            # (kept in the user's cache folder after that; see rulecache.py).
            lint_step("`handbook-lint docs/`, first run", [hl, "docs"],
                      lambda: shutil.rmtree(cache, ignore_errors=True),
                      lambda: dict(env, HANDBOOK_LINT_RULE_CACHE=tempfile.mkdtemp(
                          prefix="hb-rules-", dir=work)))
            lint_step("`handbook-lint docs/`, no cache", [hl, "docs"],
                      lambda: shutil.rmtree(cache, ignore_errors=True))
            if compiled:
                def no_bytecode() -> None:
                    shutil.rmtree(cache, ignore_errors=True)
                    for d in package.rglob("__pycache__"):
                        shutil.rmtree(d, ignore_errors=True)

                lint_step("`handbook-lint docs/`, no cache, no bytecode", [hl, "docs"],
                          no_bytecode, lambda: dict(env, PYTHONDONTWRITEBYTECODE="1"))
                _compile(package)
            subprocess.run([hl, "docs"], cwd=work, env=env, capture_output=True)
            lint_step("`handbook-lint docs/`, cached", [hl, "docs"], None)
        else:
            step("`handbook-lint docs/`", None, missing=hl_tool.missing)

        if make and targets:
            step("full `make` from clean", mk, before=clean)
        else:
            step("full `make` from clean", None, missing="no Makefile yet")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return steps


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------
def targets_table(results: list[Measurement], steps: list[BuildStep]) -> list[tuple]:
    rows = []
    by = {(m.tool.name, m.size): m for m in results}
    sizes = sorted({m.size for m in results})
    if sizes:
        big = sizes[-1]
        hl, pl = by.get((REFERENCE_TOOL, big)), by.get(("proselint", big))
        if hl and pl and hl.words_per_s and pl.words_per_s:
            ratio = hl.words_per_s / pl.words_per_s
            rows.append((TARGETS_TEXT["speed"], f"{ratio:.2f}x at {fmt_size(big)} words "
                         f"({fmt_int(hl.words_per_s)} vs {fmt_int(pl.words_per_s)} words/s)",
                         ratio >= 3))
        for name in ("handbook-lint-j1", "handbook-lint-j2"):
            small = by.get((name, big // 10))
            large = by.get((name, big))
            if small and large and small.median and large.median:
                r = large.median / small.median
                rows.append((f"{TARGETS_TEXT['growth']} ({name})",
                             f"{r:.1f}x ({fmt_s(large.median)} s / {fmt_s(small.median)} s)",
                             r <= 12))
        for name in ("handbook-lint-j1", "handbook-lint-j2"):
            m = by.get((name, big))
            if m and big >= 1_000_000:
                kb = max(filter(None, [m.peak("max_rss_kb"), m.peak("tree_kb")]), default=None)
                if kb:
                    rows.append((f"{TARGETS_TEXT['memory']} ({name})",
                                 f"{fmt_mb(kb)} MB", kb / 1024 < 300))
    limits = {"`handbook-lint docs/`, no cache": ("docs", 1.0),
              "`handbook-lint docs/`, cached": ("cached", 0.3),
              "full `make` from clean": ("make", 30.0)}
    for s in steps:
        if s.name in limits and s.median is not None:
            key, limit = limits[s.name]
            rows.append((TARGETS_TEXT[key], f"{s.median:.3f} s", s.median < limit))
    return rows


def render(results: list[Measurement], steps: list[BuildStep], tools: list[Tool],
           command: str, started: dt.datetime, elapsed: float, load: tuple) -> str:
    out = ["# Benchmark results", ""]
    out.append(f"Produced by `{command}` on {started:%Y-%m-%d %H:%M} UTC in "
               f"{elapsed:.0f} s: {platform.system()} {platform.machine()}, "
               f"{os.cpu_count()} cores, Python {platform.python_version()}, "
               f"load average {load[0]:.2f} at the start (the machine is shared, so "
               "figures move between runs).")
    out.append("")
    versions = [f"{t.version}" for t in tools if t.version and not t.name.endswith("j2")]
    if versions:
        out.append("Versions: " + "; ".join(dict.fromkeys(versions)) + ".")
        out.append("")
    if results:
        files = {m.size: (m.files, m.words) for m in results}
        out.append("Corpora: " + ", ".join(
            f"{fmt_size(s)} = {w:,} words in {f} file{'' if f == 1 else 's'}"
            for s, (f, w) in sorted(files.items()))
            + f". Each file is about {corpus.WORDS_PER_FILE:,} words of MyST Markdown: "
            "about a quarter passages from the handbook's pages, the rest generated "
            "promotional clinic text (`benchmarks/corpus.py`). Every tool gets the same files "
            "in one command; `handbook-lint` runs all rules with `--no-cache`.")
        out.append("")
        runs = sorted({len(m.runs) for m in results if m.runs})
        out.append(f"## Linters ({' or '.join(map(str, runs)) or 'no'} timed runs per tool and "
                   "size, tools taking turns, after a warm-up; median, min and max wall time)")
        out.append("")
        out.append("| words | tool | median s | min s | max s | words/s | CPU s (median) | "
                   "peak RSS MB (largest process) | peak MB (all processes, PSS) | speed vs "
                   "handbook-lint --jobs 2 |")
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for m in results:
            ref = next((x for x in results if x.size == m.size
                        and x.tool.name == REFERENCE_TOOL), None)
            good = m.good
            if m.tool.missing or not good:
                out.append(f"| {fmt_size(m.size)} | {m.tool.label} | {m.status} | | | | | | | |")
                continue
            secs = [r.seconds for r in good]
            ratio = (f"{m.words_per_s / ref.words_per_s:.2f}x"
                     if ref and ref.words_per_s and m.words_per_s else "–")
            status = f" ({m.status})" if m.status else ""
            cpus = [r.cpu for r in good if r.cpu is not None]
            cpu = fmt_s(statistics.median(cpus)) if cpus else "–"
            out.append(f"| {fmt_size(m.size)} | {m.tool.label}{status} | {fmt_s(m.median)} | "
                       f"{fmt_s(min(secs))} | {fmt_s(max(secs))} | {fmt_int(m.words_per_s)} | "
                       f"{cpu} | {fmt_mb(m.peak('max_rss_kb'))} | {fmt_mb(m.peak('tree_kb'))} | "
                       f"{ratio} |")
        out.append("")
    if steps:
        out.append("## Handbook builds (in a temporary copy of the work tree)")
        out.append("")
        out.append("| step | runs | median s | min s | max s | CPU s (median) | note |")
        out.append("|---|---:|---:|---:|---:|---:|---|")
        for s in steps:
            secs = [r.seconds for r in s.runs if r.ok]
            if not secs:
                out.append(f"| {s.name} | {len(s.runs)} | – | – | – | – | {s.status} |")
                continue
            cpus = [r.cpu for r in s.runs if r.ok and r.cpu is not None]
            cpu = fmt_s(statistics.median(cpus)) if cpus else "–"
            out.append(f"| {s.name} | {len(secs)} | {fmt_s(statistics.median(secs))} | "
                       f"{fmt_s(min(secs))} | {fmt_s(max(secs))} | {cpu} | {s.status} |")
        out.append("")
    rows = targets_table(results, steps)
    if rows:
        out.append("## Targets")
        out.append("")
        out.append("| target | measured | met |")
        out.append("|---|---|---|")
        for text, measured, met in rows:
            out.append(f"| {text} | {measured} | {'yes' if met else '**no**'} |")
        out.append("")
    return "\n".join(out)


README_START = "<!-- benchmark-results:start -->"
README_END = "<!-- benchmark-results:end -->"


def update_readme(readme: Path, results_md: str) -> str:
    """Put the results (title dropped, headings one level down) between the README's
    markers; returns a one-line note of what happened."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as exc:
        return f"README not updated: cannot read {readme}: {exc.strerror or exc}"
    start, end = text.find(README_START), text.find(README_END)
    if start == -1 or end < start:
        return f"README not updated: {readme} has no {README_START} ... {README_END} markers"
    body = results_md.split("\n", 2)[2].strip() if results_md.startswith("# ") else results_md
    body = re.sub(r"(?m)^## ", "### ", body)
    new = text[: start + len(README_START)] + "\n" + body + "\n" + text[end:]
    tmp = readme.with_name(readme.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(readme)
    return f"README updated: {readme}"


def parse_tools(values: list[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        for name in filter(None, (v.strip() for v in value.split(","))):
            expanded = TOOL_ALIASES.get(name, [name])
            for n in expanded:
                if n not in TOOL_ORDER:
                    raise argparse.ArgumentTypeError(
                        f"unknown tool {name!r}; choose from "
                        f"{', '.join(['handbook-lint', *TOOL_ORDER[2:], *TOOL_ORDER[:2]])}")
                if n not in names:
                    names.append(n)
    return sorted(names, key=TOOL_ORDER.index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time handbook-lint against proselint and textlint on the same corpora, "
                    "time the handbook builds, and write benchmarks/results.md.")
    parser.add_argument("--sizes", nargs="+", type=int, default=DEFAULT_SIZES, metavar="WORDS",
                        help="corpus sizes in words (default: 10000 100000 1000000)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="timed runs per tool and size (default: 3)")
    parser.add_argument("--tools", nargs="+", default=["all"], metavar="TOOL",
                        help="tools to run, space- or comma-separated: handbook-lint "
                             "(both --jobs 1 and 2), handbook-lint-j1, handbook-lint-j2, "
                             "proselint, textlint, all (default)")
    parser.add_argument("--large-repeat", type=int, default=2, metavar="N",
                        help=f"timed runs per tool for corpora of {LARGE:,} words or more "
                             "(default: 2; a 1M-word run takes minutes per tool)")
    parser.add_argument("--skip-build", action="store_true",
                        help="do not time the handbook builds")
    parser.add_argument("--skip-lint", action="store_true",
                        help="only time the handbook builds")
    parser.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                        help="time limit for one run of one tool (default: 300); a tool that "
                             "reaches it is reported, not retried")
    parser.add_argument("--output", type=Path, default=HERE / "results.md", metavar="FILE",
                        help="Markdown results file (default: benchmarks/results.md)")
    parser.add_argument("--corpus-dir", type=Path, default=corpus.CORPUS_DIR, metavar="DIR",
                        help="where the corpora are built (default: benchmarks/_corpus)")
    parser.add_argument("--no-install", action="store_true",
                        help="do not run `npm ci --ignore-scripts` when textlint is missing")
    parser.add_argument("--readme", type=Path, metavar="FILE",
                        help="also put the tables between the benchmark-results markers "
                             "of this README")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the raw timings as JSON")
    args = parser.parse_args(argv)
    try:
        tool_names = parse_tools(args.tools)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if args.repeat < 1 or args.large_repeat < 1:
        parser.error("--repeat and --large-repeat must be at least 1")
    if any(s < 100 for s in args.sizes):
        parser.error("--sizes must be at least 100 words")

    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    load = os.getloadavg()

    def log(msg: str) -> None:
        print(msg, flush=True)

    tools = [] if args.skip_lint else make_tools(tool_names, install=not args.no_install)
    # Time handbook-lint as installed for real: compiled to bytecode (see _compile).
    hl = shutil.which("handbook-lint", path=str(VENV_BIN)) or shutil.which("handbook-lint")
    if hl and not _compile(_package_dir(hl)):
        log("could not compile handbook_lint's bytecode: every run below compiles it")
    results = [] if args.skip_lint else bench_linters(
        tools, sorted(set(args.sizes)), args.repeat, args.timeout, log,
        args.corpus_dir.resolve(), min(args.large_repeat, args.repeat))
    steps = [] if args.skip_build else bench_builds(args.repeat, args.timeout, log)

    command = "python benchmarks/run.py" + (
        " " + " ".join(argv if argv is not None else sys.argv[1:]) if (
            argv if argv is not None else sys.argv[1:]) else "")
    text = render(results, steps, tools, command, started, time.perf_counter() - t0, load)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.output)
    if args.json:
        raw = {"results": [{"tool": m.tool.name, "size": m.size, "words": m.words,
                            "files": m.files, "status": m.status,
                            "runs": [r.__dict__ for r in m.runs]} for m in results],
               "builds": [{"step": s.name, "status": s.status,
                           "runs": [r.__dict__ for r in s.runs]} for s in steps]}
        args.json.write_text(json.dumps(raw, indent=1))
    print()
    print(text)
    print(f"written to {args.output}")
    if args.readme:
        print(update_readme(args.readme, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
