"""kg finds its data files and ontologies in a checkout, and inside an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kg.paths import DATA_DIR, ONTOLOGY_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_data_and_ontologies_are_found():
    assert (DATA_DIR / "lang" / "id.json").is_file() and (DATA_DIR / "gazetteers" / "titles.tsv").is_file()
    assert (ONTOLOGY_DIR / "kg.ttl").is_file() and any((ONTOLOGY_DIR / "queries").glob("*.rq"))


@pytest.mark.slow
def test_a_wheel_carries_the_data_and_works_outside_the_project(tmp_path):
    """Build the wheel, install it into a bare folder, and extract and list saved queries
    from a process that cannot see the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(wheels.glob("kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("id", "en"):
        assert f"kg/data/lang/{lang}.json" in names
    assert "kg/ontologies/kg.ttl" in names and "kg/ontologies/shapes.ttl" in names
    assert sum(n.startswith("kg/ontologies/queries/") for n in names) == len(list((ONTOLOGY_DIR / "queries").glob("*.rq")))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    code = (
        "import kg, kg.paths\n"
        "from kg.extract import extract\n"
        "from kg.model import Article\n"
        "from kg.queries import QUERY_DIR\n"
        "x = extract(Article(key='t', text='JAKARTA - Delegasi Jepang mengunjungi Graha BNPB di Jakarta, Senin (12/2/2024).'))\n"
        "print(kg.paths.DATA_DIR, kg.paths.ONTOLOGY_DIR, len(x.facts), len(list(QUERY_DIR.glob('*.rq'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}).stdout.split()
    assert out[0] == str(target / "kg" / "data") and out[1] == str(target / "kg" / "ontologies")
    assert int(out[2]) >= 2 and int(out[3]) >= 10
