"""The Linux package end to end (slow: it was 18 min on the loaded shared machine when it
installed a whole build venv and gzipped the package): the PyInstaller bundle is built
(installer/build.sh on top of the running Python's packages, adding only PyInstaller; in CI
the build reuses CI's .venv and adds PyInstaller) and smoke-tested offscreen
(installer/smoke_test.sh), the .deb built from it (installer/build_deb.sh), installed with
dpkg, and `counter-app selftest` run from the installed package (installer/test_deb.sh),
which removes it again. Needs root and dpkg (CI runs as root on Debian)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import subprocess_env

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path, *argv, timeout=1800):
    # Uncompressed: installing is what is tested, not the size (gzip took 4.6 min, xz 14).
    extra = {"DEB_COMPRESSION": "none"}
    if os.environ.get("CI") and (ROOT / ".venv" / "bin" / "python").exists():
        # CI's own venv of this clone (./run setup) has every dependency already: only
        # PyInstaller is added, instead of a second venv installed from nothing.
        extra["BUILD_VENV"] = ".venv"
    else:  # the same idea here: PyInstaller on top of the packages the tests run with
        extra["BUILD_ON_TOP_OF"] = sys.executable
    env = subprocess_env(tmp_path, extra)
    done = subprocess.run([str(a) for a in argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv[0]} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.timeout(3600)  # a fresh build venv and PyInstaller: ~15 min on a loaded machine
def test_the_bundle_starts_offscreen_and_the_deb_installs_and_passes_its_selftest(tmp_path):
    assert os.geteuid() == 0 and shutil.which("dpkg"), "needs root and dpkg"
    run(tmp_path, ROOT / "installer" / "build.sh")
    bundle = ROOT / "dist" / "counter_app"
    # pkg_resources' runtime hook scanned every distribution at each start (~0.4 s CPU).
    assert "pyi_rth_pkgres" not in (ROOT / "build" / "pyinstaller" / "counter_app" /
                                    "Analysis-00.toc").read_text()
    smoke = run(tmp_path, ROOT / "installer" / "smoke_test.sh", bundle)
    assert "smoke test: all checks passed" in smoke and "PASS  kiosk --screenshot" in smoke
    assert "PASS  restore it into a new file" in smoke  # age + zstandard, frozen
    deb = Path(run(tmp_path, ROOT / "installer" / "build_deb.sh", bundle, tmp_path)
               .strip().splitlines()[-1])
    assert deb.is_file() and deb.suffix == ".deb"
    out = run(tmp_path, ROOT / "installer" / "test_deb.sh", deb)
    assert "PASS  counter-app selftest (installed package)" in out
    assert "自检通过" in out and "package test: all checks passed" in out
    assert not Path("/opt/counter-app").exists()  # removed again
