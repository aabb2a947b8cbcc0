"""Suite files: parsing, every validation error naming the file, the key and the closest
valid name, sweeps, grids, and task seeds derived from the suite seed and the task's names."""
import pathlib
import re
import tomllib

import numpy as np
import pytest

from stochsearch._rng import seed_for_key
from stochsearch.suite import Store, SuiteError, load_suite, parse_suite, run_suite
from stochsearch.suite.spec import _DEFAULT_TARGETS

from .conftest import TINY

ROOT = pathlib.Path(__file__).resolve().parents[2]


def errors_of(write_suite, text):
    path = write_suite(text)
    with pytest.raises(SuiteError) as info:
        suite = load_suite(path)
        suite.tasks()
        suite.check()
    for line in info.value.errors:
        assert line.startswith(f"{path}: "), line
    return info.value.errors


def test_a_valid_suite_expands_into_tasks(tiny):
    suite = load_suite(tiny)
    tasks = suite.tasks()
    assert len(tasks) == 3 * 2 * 2 * 2
    assert suite.name == "tiny" and suite.seeds == (0, 1) and suite.targets == (1.0, 1e-3)
    assert len({t.key for t in tasks}) == len(tasks)
    greedy = next(t for t in tasks if t.optimizer == "sa-greedy")
    assert greedy.algorithm == "sa" and greedy.params == {"t0": 0}
    assert greedy.key == f"sa-greedy|{greedy.problem}|{greedy.init}|{greedy.replicate}"
    # Trajectories are recorded on 2-D Real problems only.
    assert {t.problem for t in tasks if t.record_x} == {"rastrigin-2"}
    suite.check()


def test_defaults_and_the_names_of_entries(write_suite):
    suite = load_suite(write_suite("""
        [suite]
        budget = 100
        [optimizers.sa]
        [problems.sphere]
        """))
    assert suite.name == "suite" and suite.seed == 0 and suite.seeds == tuple(range(10))
    assert suite.history == 50 and suite.targets == _DEFAULT_TARGETS
    assert list(suite.initializers) == ["uniform"]
    assert suite.optimizers["sa"][0].ref == "sa" and suite.problems["sphere"][0].params == {}


def test_a_sweep_makes_one_variant_per_value(write_suite):
    suite = load_suite(write_suite("""
        [suite]
        budget = 100
        seeds = [4, 9]
        [optimizers.sa-t0]
        optimizer = "sa"
        params = { p0 = 0.5 }
        sweep = { t0 = [0, 0.1, 10], adapt_step = [true, false] }
        label = "SA"
        [problems.sphere]
        sweep = { dim = [2, 5] }
        """))
    variants = suite.optimizers["sa-t0"]
    assert [v.name for v in variants][:3] == ["sa-t0[t0=0,adapt_step=true]",
                                              "sa-t0[t0=0,adapt_step=false]",
                                              "sa-t0[t0=0.1,adapt_step=true]"]
    assert variants[-1].params == {"p0": 0.5, "t0": 10, "adapt_step": False}
    assert variants[0].label == "SA (t0=0, adapt_step=true)"
    assert [v.name for v in suite.problems["sphere"]] == ["sphere[dim=2]", "sphere[dim=5]"]
    assert len(suite.tasks()) == 6 * 2 * 2
    assert {t.replicate for t in suite.tasks()} == {4, 9}


def test_grids_select_blocks_and_share_tasks(write_suite):
    suite = load_suite(write_suite("""
        [suite]
        budget = 100
        seeds = 1
        [optimizers.sa]
        [optimizers.rhc]
        [problems.sphere]
        [problems.rastrigin]
        [initializers.uniform]
        [initializers.center]
        [[grid]]
        optimizers = ["sa"]
        [[grid]]
        name = "hill climbing on rastrigin"
        optimizers = ["rhc", "sa"]
        problems = ["rastrigin"]
        initializers = ["center"]
        """))
    keys = [t.key for t in suite.tasks()]
    assert len(keys) == len(set(keys)) == 4 + 1
    assert "rhc|rastrigin|center|0" in keys and not any(k.startswith("rhc|sphere") for k in keys)


def test_every_structural_error_is_reported_at_once(write_suite):
    errors = errors_of(write_suite, """
        [suite]
        budjet = 100
        seeds = 0
        history = "many"
        [optimizers.sa2]
        [optimizers.greedy]
        optimizer = "sa"
        params = { t00 = 0 }
        [optimizers.stepper]
        optimizer = "rhc"
        sweep = { restarts = 3 }
        [problems.rastrigin]
        params = { dim = 2 }
        lable = "x"
        [[grid]]
        optimizers = ["greedy", "anneal"]
        problems = ["rastrigen"]
        """)
    expected = [
        r"suite.budjet: unknown key; did you mean 'budget'\?",
        r"suite.seeds: must be a positive number of seeds",
        r"suite.history: must be an integer >= 2, got 'many'",
        r"optimizers.sa2.optimizer: missing, and the entry's name is not a known optimizer: "
        r"unknown optimizer 'sa2'; did you mean 'sa'\?",
        r"optimizers.greedy.params.t00: 'sa' has no parameter 't00'; did you mean 't0'\?",
        r"optimizers.stepper.sweep.restarts: must be a non-empty list of values, got 3",
        r"problems.rastrigin.lable: unknown key; did you mean 'label'\?",
        r"grid\[0\].optimizers: no entry 'anneal' in \[optimizers\]",
        r"grid\[0\].problems: no entry 'rastrigen' in \[problems\]; did you mean 'rastrigin'\?",
        r"suite.budget: missing",
    ]
    for pattern in expected:
        assert any(re.search(pattern, e) for e in errors), (pattern, errors)


def test_unknown_tables_types_and_missing_tables(write_suite):
    errors = errors_of(write_suite, """
        optimisers = 1
        [suite]
        budget = -3
        targets = [0.1, -1]
        trajectories = "yes"
        [problems.sphere]
        f_opt = "zero"
        [initializers.middle]
        dial = "off"
        """)
    for pattern in [r": optimisers: unknown key; did you mean 'optimizers'\?",
                    r"suite.budget: must be a positive integer, got -3",
                    r"suite.targets: must be a non-empty list of positive numbers",
                    r"suite.trajectories: must be true or false",
                    r"problems.sphere.f_opt: must be a number",
                    r"initializers.middle.init: missing, and the entry's name is not a known "
                    r"initializer: unknown initializer 'middle'",
                    r"initializers.middle.dial: must be one of 'zero', 'up', got 'off'",
                    r": optimizers: missing \(must be a table\)"]:
        assert any(re.search(pattern, e) for e in errors), (pattern, errors)


def test_parameter_values_and_combinations_are_checked_before_anything_runs(write_suite):
    text = """
        [suite]
        budget = 100
        [optimizers.sa]
        params = { t0 = -1 }
        [optimizers.rhc]
        params = { strategy = "steepestt" }
        [problems.rastrigin]
        params = { dim = 2 }
        [initializers.far]
        init = "constant"
        params = { value = 100 }
        """
    errors = errors_of(write_suite, text + "[problems.sphere]\nparams = { dim = 0 }\n")
    assert any(re.search(r"problems.sphere: dim must be at least 1 for Sphere, got 0", e)
               for e in errors), errors
    # Objects that cannot be built stop the check: fix them, and the next errors show.
    errors = errors_of(write_suite, text)
    assert any(re.search(r"optimizers.sa: t0 must be a non-negative number, got -1.0 "
                         r"\(starting 'sa' on 'rastrigin'\)", e) for e in errors), errors
    assert any(re.search(r"optimizers.rhc: strategy must be one of 'first', 'steepest', got "
                         r"'steepestt'; did you mean 'steepest'\?", e) for e in errors), errors
    assert any(re.search(r"initializers.far: .*must lie in Real", e) for e in errors), errors


def test_nothing_runs_or_is_stored_when_the_suite_does_not_validate(write_suite):
    path = write_suite("""
        [suite]
        budget = 100
        [optimizers.sa]
        params = { t0 = -1 }
        [problems.sphere]
        """)
    store = Store(":memory:")
    with pytest.raises(SuiteError):
        run_suite(path, store=store)
    assert store.suites() == [] and store.records() == []


def test_files_that_are_not_suites(tmp_path):
    with pytest.raises(SuiteError, match="no such suite file"):
        load_suite(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[suite\nbudget = 1")
    with pytest.raises(SuiteError, match=r"bad.toml: not a valid TOML file"):
        load_suite(bad)


def test_module_attribute_names_a_users_code_beside_the_suite(write_suite):
    suite = load_suite(write_suite("""
        [suite]
        budget = 50
        seeds = 1
        [optimizers.sa]
        [problems.fragile]
        problem = "userprobs:Fragile"
        params = { dim = 3 }
        """))
    assert suite.tasks()[0].problem_ref == "userprobs:Fragile"
    suite.check()
    errors = errors_of(write_suite, """
        [suite]
        budget = 50
        [optimizers.sa]
        [problems.a]
        problem = "userprobs:Fragil"
        [problems.b]
        problem = "nowhere:Thing"
        [problems.c]
        problem = "userprobs:Fragile"
        params = { dimension = 3 }
        """)
    for pattern in [r"problems.a.problem: module 'userprobs' has no attribute 'Fragil'; did you "
                    r"mean 'Fragile'\?",
                    r"problems.b.problem: cannot find module 'nowhere'",
                    r"problems.c.params.dimension: 'userprobs:Fragile' has no parameter "
                    r"'dimension'; did you mean 'dim'\?"]:
        assert any(re.search(pattern, e) for e in errors), (pattern, errors)


def test_task_seeds_come_from_the_suite_seed_and_the_task_names_only(write_suite):
    suite = load_suite(write_suite(TINY))
    seeds = {t.key: t.seed for t in suite.tasks()}
    # The same suite written in another order, with a grid listing things backwards.
    document = tomllib.loads(TINY)
    shuffled = {
        "suite": document["suite"],
        "problems": dict(reversed(list(document["problems"].items()))),
        "initializers": dict(reversed(list(document["initializers"].items()))),
        "optimizers": dict(reversed(list(document["optimizers"].items()))),
        "grid": [{"optimizers": ["sa", "rhc", "sa-greedy"], "problems": ["rastrigin-2"]},
                 {"problems": ["sphere-3"], "initializers": ["center", "uniform"]}]}
    other = parse_suite(shuffled, name="tiny")
    assert [t.key for t in other.tasks()] != list(seeds)
    assert {t.key: t.seed for t in other.tasks()} == seeds
    task = suite.tasks()[5]
    names = (task.optimizer, task.problem, task.init, task.replicate)
    expected = seed_for_key(3, names).generate_state(1, np.uint64)[0] >> np.uint64(1)
    assert task.seed == int(expected)
    assert len(set(seeds.values())) == len(seeds)
    document["suite"]["seed"] = 4
    assert all(t.seed != seeds[t.key] for t in parse_suite(document).tasks())


def test_the_default_suite_validates():
    suite = load_suite(ROOT / "bench" / "default.toml")
    tasks = suite.tasks()
    blocks = {"landscapes": 5 * 8 * 2, "landscapes: GA": 2 * 8 * 2, "bitstrings": 7 * 3 * 2,
              "permutations": 5 * 1 * 1, "networks": 5 * 1 * 2}
    assert len(tasks) == sum(blocks.values()) * 10
    assert len({t.key for t in tasks}) == len(tasks)
    dials = {name: v[0].dial for name, v in suite.optimizers.items()}
    assert dials == {"random": "up", "rhc-single": "zero", "rhc": "up", "sa-greedy": "zero",
                     "sa": "up", "ga-copies": "zero", "ga": "up", "gd": "zero", "sgd": "up"}
    assert suite.initializers["center"].dial == "zero"
    assert suite.initializers["zeros"].dial == "zero"
    suite.check()


def test_a_budget_of_zero_is_one_error_not_also_a_missing_budget(write_suite):
    errors = errors_of(write_suite, """
        [suite]
        budget = 0
        [optimizers.sa]
        [problems.sphere]
        params = { dim = 2 }
        """)
    assert len(errors) == 1 and "suite.budget: must be a positive integer, got 0" in errors[0], \
        errors


def test_a_module_that_is_nowhere_is_named_in_a_grammatical_sentence():
    from stochsearch.suite.tasks import resolve

    with pytest.raises(ValueError, match=r"^cannot find module 'no_such_mod': it is not an "
                                         r"importable module$"):
        resolve("no_such_mod:X", "problem")
    with pytest.raises(ValueError, match=r"it is neither a file beside the suite \(.*\) nor an "
                                         r"importable module$"):
        resolve("no_such_mod:X", "problem", str(ROOT))
