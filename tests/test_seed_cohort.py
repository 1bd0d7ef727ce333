"""The acceptance table: the seed's "en quelques chiffres" (DOMAIN.md §5), from the data.

Every figure is computed by ``annual_report`` from the bundled cohort file; the test only
knows the seed's published numbers and compares them within display rounding.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

import pytest

from reussite.indicators import Report, annual_report
from reussite.periods import CalendarYear, SchoolYear
from reussite.samples import sample_path
from reussite.serialization import load_cohort

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA_NAME = "pays-salonais-2017-2018.jsonl"


def shown(value: float) -> int:
    """The value as the seed prints it: a whole number, rounded half up."""
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def cohort():
    data = resources.files("reussite") / "data" / "pays-salonais-2017-2018.jsonl"
    with resources.as_file(data) as path, load_cohort(path) as loaded:
        return loaded.programme, list(loaded)


@pytest.fixture(scope="module")
def school_year(cohort) -> Report:
    programme, pathways = cohort
    return annual_report(
        pathways, SchoolYear(2017), as_of=dt.date(2018, 8, 31), programme=programme
    )


def test_192_children_followed_in_2017_2018(school_year):
    assert school_year.value("children_followed") == 192


def test_214_children_followed_in_calendar_2017(cohort):
    programme, pathways = cohort
    year = annual_report(
        pathways, CalendarYear(2017), as_of=dt.date(2017, 12, 31), programme=programme
    )
    assert year.value("children_followed") == 214


def test_the_same_cohort_gives_both_figures_whatever_the_as_of_date(cohort):
    _, pathways = cohort
    late = dt.date(2018, 9, 30)  # the extraction date: every event known
    assert annual_report(pathways, SchoolYear(2017), as_of=late).value("children_followed") == 192
    assert annual_report(pathways, CalendarYear(2017), as_of=late).value("children_followed") == 214


def test_79_percent_salon_21_percent_berre(school_year):
    assert shown(school_year.value("children_by_commune", "13103")) == 79
    assert shown(school_year.value("children_by_commune", "13014")) == 21


def test_76_children_per_full_time_referent_with_three_referents(school_year, cohort):
    programme, _ = cohort
    assert len(programme.referents) == 3
    assert shown(school_year.value("children_per_referent_fte")) == 76


def test_mean_duration_of_finished_pathways_13_months(school_year):
    assert shown(school_year.value("finished_pathway_duration_mean")) == 13


def test_100_percent_individual_pathways_and_out_of_school_actions(school_year):
    assert shown(school_year.value("individual_pathways")) == 100
    assert shown(school_year.value("actions_out_of_school_time")) == 100


def test_75_percent_referred_by_education_nationale(school_year):
    assert shown(school_year.value("referral_sources", "education_nationale")) == 75


def test_fewer_than_1_percent_of_families_refuse(school_year):
    refusals = school_year.figure("family_refusal_rate")
    assert 0 < refusals.value < 1
    assert refusals.numerator >= 1  # measured on a real refusal, not on none


def test_actions_52_percent_mainstream_48_percent_pre(school_year):
    assert shown(school_year.value("actions_by_funding", "mainstream")) == 52
    assert shown(school_year.value("actions_by_funding", "pre_funded")) == 48


def test_exits_53_percent_complete_29_percent_partial(school_year):
    assert shown(school_year.value("exits_by_attainment", "complete")) == 53
    assert shown(school_year.value("exits_by_attainment", "partial")) == 29


def test_88_percent_of_exits_with_a_satisfactory_evolution(school_year):
    assert shown(school_year.value("exits_satisfactory_evolution")) == 88


def test_the_printed_box_shows_the_seed_figures(school_year):
    box = school_year.to_text(detail=False)
    for line in (
        "Enfants suivis                                   192",
        "dont Salon-de-Provence (13103)                 79 %",
        "dont Berre-l'Étang (13014)                     21 %",
        "Enfants suivis par référent temps plein          76",
        "Durée moyenne du parcours fini                   13 mois",
        "Parcours individualisés                          100 %",
        "Actions hors temps scolaire                      100 %",
        "Enfants orientés par l'Éducation nationale       75 %",
        "Actions : droit commun / réussite éducative      52 % / 48 %",
        "Sorties : atteinte complète / partielle          53 % / 29 %",
        "Sorties avec une évolution satisfaisante         88 %",
    ):
        assert line in box


def test_the_cohort_is_plausible(cohort, school_year):
    programme, pathways = cohort
    assert {c for t in programme.territory.values() for c in t.communes} == {"13103", "13014"}
    berre_since = programme.territory.since(dt.date(2016, 6, 1))
    assert berre_since == dt.date(2016, 6, 1)
    for p in pathways:  # Berre children are referred once Berre is in the territory
        if p.child.commune == "13014":
            assert p.referral.on >= berre_since
    assert school_year.value("handovers_child_protection") >= 1
    assert any(p.previous_pathway_id for p in pathways)  # re-entries exist


def test_the_data_ship_once_in_the_package():
    assert not (ROOT / "examples" / "data").exists()
    assert sample_path("cohort") == ROOT / "src" / "reussite" / "data" / DATA_NAME


def test_the_generator_is_deterministic_and_the_file_up_to_date(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_pays_salonais.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Enfants suivis" in done.stdout


def test_parallel_shards_give_the_single_pass_report(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "report_in_parallel.py"), "--shards", "3"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "identique au calcul en un seul passage" in done.stdout


def test_the_benchmark_runs_in_quick_mode(tmp_path):
    pytest.importorskip("pandas")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_indicators.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "same values: yes" in done.stdout
