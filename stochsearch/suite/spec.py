"""Benchmark suites as TOML files: parsing, validation, and expansion into tasks.

A suite names optimizer variants, problems and initializers (``[optimizers.NAME]``,
``[problems.NAME]``, ``[initializers.NAME]``), and ``[[grid]]`` blocks say which of them run
together; ``sweep`` expands one entry into a variant per value. Validation happens in two
stages, each reporting every error at once as ``file: key: sentence`` with the closest valid
name: ``parse_suite`` checks the structure, the names and the parameter names;
``Suite.check`` builds every object and starts every (optimizer, problem, initializer)
combination without running it, then compiles what the suite needs with tiny runs. Nothing of
the suite runs before both stages pass. See ``bench/default.toml`` for a commented example.
"""
from __future__ import annotations

import itertools
import json
import os
import pathlib
import tomllib
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass, field

import numpy as np

from .._validation import accepted_parameters
from ..initialization import draw, resolve_initializer
from ..problem import Problem
from ._checks import Checker, SuiteError
from .tasks import Task, build_initializer, build_optimizer, build_problem, expand, resolve

__all__ = ["Grid", "Suite", "SuiteError", "Variant", "load_suite", "parse_suite"]

_TOP = ("suite", "optimizers", "problems", "initializers", "grid")
_SUITE = ("name", "description", "seed", "seeds", "budget", "history", "targets",
          "trajectories", "measure", "timeout")
_ENTRY = {"optimizers": ("optimizer", "params", "sweep", "label", "family", "dial",
                         "timeout"),
          "problems": ("problem", "params", "sweep", "label", "budget", "targets", "f_opt"),
          "initializers": ("init", "params", "label", "dial")}
_KIND = {"optimizers": "optimizer", "problems": "problem", "initializers": "initializer"}
_DEFAULT_TARGETS = (1.0, 1e-2, 1e-4, 1e-8)
_WARM_BUDGET = 64
_BUILDERS = {"problems": build_problem, "optimizers": build_optimizer,
             "initializers": build_initializer}


@dataclass(frozen=True)
class Variant:
    """One optimizer, problem or initializer of a suite, with its parameters fixed.

    ``name`` is the entry's name, followed by ``[key=value,...]`` for a sweep's variants;
    ``dial`` is ``"zero"`` for the deterministic setting of a randomness dial, ``"up"``
    otherwise (the report contrasts the two).
    """

    name: str
    entry: str
    ref: str
    params: dict
    label: str
    dial: str = "up"
    family: str = ""
    budget: int | None = None
    targets: tuple | None = None
    f_opt: float | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Grid:
    """A block of the suite: every listed optimizer on every listed problem from every listed
    initializer (entry names; a swept entry contributes all its variants)."""

    name: str
    optimizers: tuple
    problems: tuple
    initializers: tuple


@dataclass
class Suite:
    """A validated suite (see ``load_suite``)."""

    name: str
    seed: int
    seeds: tuple
    budget: int | None
    history: int
    targets: tuple
    trajectories: bool
    optimizers: dict
    problems: dict
    initializers: dict
    grids: list
    description: str = ""
    path: pathlib.Path | None = None
    measure: str | None = None
    timeout: float | None = None
    _built: dict | None = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)

    @property
    def base_dir(self) -> str | None:
        """The folder of the suite file: ``module:attribute`` names are looked up there."""
        return str(self.path.resolve().parent) if self.path else None

    @property
    def where(self) -> str:
        return str(self.path) if self.path else f"<suite {self.name}>"

    def combinations(self) -> list[tuple[Variant, Variant, Variant]]:
        """Every distinct (optimizer, problem, initializer) of the grids, in suite order."""
        seen = {}
        for grid in self.grids:
            for o, p, i in itertools.product(grid.optimizers, grid.problems, grid.initializers):
                for ov, pv in itertools.product(self.optimizers[o], self.problems[p]):
                    seen.setdefault((ov.name, pv.name, i), (ov, pv, self.initializers[i]))
        return list(seen.values())

    def entries(self, table: str) -> Iterator[tuple[str, Variant]]:
        """``(entry name, variant)`` pairs of ``"optimizers"``, ``"problems"`` or
        ``"initializers"``."""
        for entry, variants in getattr(self, table).items():
            for v in (variants,) if isinstance(variants, Variant) else variants:
                yield entry, v

    def build(self) -> dict:
        """Every problem, optimizer and initializer of the suite, built once:
        ``{table: {variant name: object}}``. SuiteError lists every one that cannot be."""
        if self._built is None:
            errors = Checker(self.where)
            built = {table: {} for table in _BUILDERS}
            for table, builder in _BUILDERS.items():
                for entry, v in self.entries(table):
                    try:
                        built[table][v.name] = builder(v.ref, v.params, self.base_dir)
                    except Exception as error:  # noqa: BLE001 - reported with its key
                        where = f" (variant {v.name!r})" if v.name != entry else ""
                        errors.add(f"{table}.{entry}", f"{error}{where}")
            errors.raise_if_any()
            self._built = built
        return self._built

    def problem_info(self) -> dict:
        """``{problem variant: {"kind", "dim", "f_opt", "name"}}``."""
        out = {}
        for entry, v in self.entries("problems"):
            problem = self.build()["problems"][v.name]
            out[v.name] = {"kind": problem.space.kind, "dim": problem.space.dim,
                           "f_opt": v.f_opt if v.f_opt is not None else problem.f_opt,
                           "name": problem.name}
        return out

    def tasks(self) -> list[Task]:
        """The tasks of the suite, one per (optimizer, problem, initializer, seed)."""
        return expand(self)

    def local_modules(self) -> list[pathlib.Path]:
        """The Python files beside the suite that its ``module:attribute`` names refer to."""
        paths = []
        for ref in (v.ref for table in _BUILDERS for _, v in self.entries(table)):
            if ":" in ref and self.base_dir:
                path = pathlib.Path(self.base_dir, *ref.partition(":")[0].split("."))
                if path.with_suffix(".py").is_file():
                    paths.append(path.with_suffix(".py"))
        return sorted(set(paths))

    def check(self) -> None:
        """Build every object and start every combination without evaluating anything (so
        parameter values, initializers and space kinds are checked); SuiteError lists every
        failure. Done once per suite: the command line checks before it runs, and
        ``run_suite`` checks a suite it is given only if nobody has."""
        if self._checked:
            return
        built = self.build()
        errors = Checker(self.where)
        failed = set()

        def attempt(key, what, action):
            if key in failed:
                return
            try:
                action()
            except Exception as error:  # noqa: BLE001 - reported with its key
                errors.add(key, f"{error} ({what})")
                failed.add(key)

        rng = np.random.default_rng(0)
        for ov, pv, iv in self.combinations():
            optimizer, problem = built["optimizers"][ov.name], built["problems"][pv.name]
            init = resolve_initializer(built["initializers"][iv.name])
            budget = pv.budget or self.budget
            attempt(f"initializers.{iv.name}", f"starting on {pv.name!r}",
                    lambda: draw(init, rng, problem.space, 1))
            attempt(f"optimizers.{ov.entry}", f"starting {ov.name!r} on {pv.name!r}",
                    lambda: optimizer.init(problem, budget, rng=0, history=self.history))
            if not failed & {f"initializers.{iv.name}", f"optimizers.{ov.entry}"}:
                attempt(f"grid: {ov.name}, {pv.name}, {iv.name}",
                        f"starting {ov.name!r} on {pv.name!r} from {iv.name!r}",
                        lambda: optimizer.init(problem, budget, rng=0, init=init,
                                               history=self.history))
        errors.raise_if_any()
        self._checked = True

    def warm(self, progress: Any = None) -> None:
        """Compile everything the suite runs, once, with a tiny run of each combination:
        numba caches it on disk, and worker processes load it from there. A problem with a
        Python objective is replaced by a stand-in on its space (the kernels do not depend on
        the objective): user code never runs in this process. ``progress``, if given, is
        called with ``(done, total, label)`` after each combination."""
        built = self.build()
        combinations = self.combinations()
        for done, (ov, pv, iv) in enumerate(combinations, 1):
            problem = built["problems"][pv.name]
            if problem.objective is None:
                problem = Problem(problem.space, fun=_zero, name="warm-up")
            try:  # a failure is the task's business, reported when it runs
                built["optimizers"][ov.name].run(problem, _WARM_BUDGET, rng=0,
                                                 init=built["initializers"][iv.name],
                                                 history=2)
            except Exception:  # noqa: BLE001, S110
                pass
            if progress is not None:
                progress(done, len(combinations), f"{ov.name} on {pv.name}")

    def to_dict(self) -> dict:
        """The suite as JSON-able data (kept in the store beside the results)."""
        def variants(table):
            return {v.name: {k: getattr(v, k) for k in Variant.__dataclass_fields__}
                    for _, v in self.entries(table)}
        return {"name": self.name, "path": str(self.path) if self.path else None,
                "description": self.description, "seed": self.seed, "seeds": list(self.seeds),
                "budget": self.budget, "history": self.history, "targets": list(self.targets),
                "trajectories": self.trajectories, "measure": self.measure,
                "timeout": self.timeout,
                "optimizers": variants("optimizers"),
                "problems": variants("problems"), "initializers": variants("initializers"),
                "problem_info": self.problem_info(),
                "grids": [dict(vars(g)) for g in self.grids]}


def _zero(x) -> float:
    return 0.0


# --- parsing ---------------------------------------------------------------------------------
#: Suites shipped in the package, by name (``stochsearch bench default``); each is a copy of
#: the file of the same name in the repository's bench/ folder.
PACKAGED = pathlib.Path(__file__).with_name("suites")


def load_suite(path: str | os.PathLike) -> Suite:
    """Read and validate (first stage) a suite file; raise SuiteError naming every error.

    ``path`` is a TOML file, or the bare name of a suite shipped with the package
    (``"default"``, the main job) when no file of that name exists.
    """
    path = pathlib.Path(path)
    packaged = PACKAGED / f"{path.name}.toml"
    if not path.exists() and path.parent == pathlib.Path() and not path.suffix \
            and packaged.is_file():
        path = packaged
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        shipped = ", ".join(sorted(p.stem for p in PACKAGED.glob("*.toml")))
        raise SuiteError([f"{path}: no such suite file (the suites shipped with stochsearch, "
                          f"by name: {shipped})"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SuiteError([f"{path}: not a valid TOML file: {error}"]) from None
    return parse_suite(document, path=path)


def parse_suite(document: dict, *, path: str | os.PathLike | None = None,
                name: str | None = None) -> Suite:
    """A Suite from a parsed TOML document (a dict), checked for structure and names."""
    path = pathlib.Path(path) if path is not None else None
    c = Checker(str(path) if path else f"<suite {name or 'suite'}>")
    c.keys(document, _TOP, "")
    head = c.table(document, "suite", "", required=True) or {}
    c.keys(head, _SUITE, "suite")
    base_dir = str(path.resolve().parent) if path else None
    tables = {}
    deferred = []  # checks that import the suite's own modules
    for table in ("optimizers", "problems", "initializers"):
        raw = c.table(document, table, "", required=table != "initializers")
        if raw is None:
            raw = {"uniform": {}} if table == "initializers" else {}
        tables[table] = {entry: _entry(c, table, entry, body, base_dir, deferred)
                         for entry, body in raw.items()}
    suite_name = c.string(head, "name", "suite", default=name or (path.stem if path else None))
    budget = c.integer(head, "budget", "suite", low=1, default=None)
    problems = tables["problems"]
    unbudgeted = [k for k, v in (document.get("problems") or {}).items()
                  if not (isinstance(v, dict) and "budget" in v)]
    if budget is None and "budget" not in head and (unbudgeted or not problems):
        c.add("suite.budget", "missing: give [suite] budget = N, or a budget to every problem"
              + (f" (problems.{unbudgeted[0]} has none)" if unbudgeted else ""))
    fields = dict(
        name=suite_name or "suite", seed=c.integer(head, "seed", "suite", low=0, default=0),
        seeds=_seeds(c, head), budget=budget,
        history=c.integer(head, "history", "suite", low=2, default=50),
        targets=c.targets(head, "targets", "suite", default=_DEFAULT_TARGETS),
        trajectories=c.boolean(head, "trajectories", "suite", default=True),
        description=c.string(head, "description", "suite", default="") or "",
        measure=c.string(head, "measure", "suite", default=None),
        timeout=c.seconds(head, "timeout", "suite", default=None),
        optimizers=tables["optimizers"], problems=problems,
        initializers={k: v[0] for k, v in tables["initializers"].items() if v},
        grids=_grids(c, document, tables), path=path)
    c.raise_if_any()
    # The suite is valid as a document: only now import the code its module:attribute
    # references name (a suite file is code the user chose to run, but a broken one should
    # not run any of it).
    for check in deferred:
        check()
    fields["measure"] = _measure(c, head, base_dir)
    c.raise_if_any()
    return Suite(**fields)


def _measure(c: Checker, head: dict, base_dir) -> str | None:
    """``[suite] measure = "module:attribute"``: what each task runs instead of a plain
    ``optimizer.run`` (see ``tasks.run_task``); None for a plain run."""
    ref = c.string(head, "measure", "suite", default=None)
    if ref is None:
        return None
    if ":" not in ref:
        c.add("suite.measure", f"must be 'module:attribute' naming a function, got {ref!r}")
        return None
    try:
        function = resolve(ref, "measure", base_dir)
    except Exception as error:  # noqa: BLE001 - reported with its key
        c.add("suite.measure", str(error))
        return None
    if not callable(function):
        c.add("suite.measure", f"{ref!r} is not callable")
    return ref


def _seeds(c: Checker, head: dict) -> tuple:
    value = head.get("seeds", 10)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return tuple(range(value))
    if isinstance(value, list) and value and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value) \
            and len(set(value)) == len(value):
        return tuple(value)
    c.add("suite.seeds", f"must be a positive number of seeds or a list of distinct "
                         f"non-negative integers, got {value!r}")
    return ()


def _entry(c: Checker, table: str, entry: str, body, base_dir, deferred: list) -> tuple:
    where = f"{table}.{entry}"
    kind, ref_key = _KIND[table], _ENTRY[table][0]
    if not isinstance(body, dict):
        c.add(where, f"must be a table ([{where}]), got {body!r}")
        return ()
    if not entry or "|" in entry or "[" in entry:
        c.add(where, "an entry name must be non-empty, without '|' or '['")
    c.keys(body, _ENTRY[table], where)
    ref = c.string(body, ref_key, where, default=None)
    if ref is None:
        ref = entry
    errors = len(c.errors)
    params = c.table(body, "params", where) or {}
    sweep = c.table(body, "sweep", where) or {}

    def check_names():
        try:
            accepted = accepted_parameters(resolve(ref, kind, base_dir))
        except Exception as error:  # noqa: BLE001 - unknown name, bad module...
            missing = ref_key not in body
            c.add(f"{where}.{ref_key}", (f"missing, and the entry's name is not a known "
                                         f"{kind}: " if missing else "") + str(error))
            return
        for key in list(params) + list(sweep):
            if accepted is not None and key not in accepted:
                section = "params" if key in params else "sweep"
                c.add(f"{where}.{section}.{key}", f"{ref!r} has no parameter {key!r}"
                      f"{c.suggest(key, accepted)} Its parameters: "
                      f"{', '.join(accepted) or 'none'}.")

    if ":" in ref:  # the user's code: imported only once the rest of the suite is valid
        deferred.append(check_names)
    else:
        check_names()
    for key, values in sweep.items():
        if not isinstance(values, list) or not values:
            c.add(f"{where}.sweep.{key}", f"must be a non-empty list of values, got {values!r}")
        elif key in params:
            c.add(f"{where}.sweep.{key}", "is also in params: give it in one place")
    dial = c.choice(body, "dial", where, ("zero", "up"), default="up") if "dial" in \
        _ENTRY[table] else "up"
    extra = {}
    if table == "problems":
        extra = dict(budget=c.integer(body, "budget", where, low=1, default=None),
                     targets=c.targets(body, "targets", where, default=None),
                     f_opt=c.number(body, "f_opt", where, default=None))
    if table == "optimizers":
        extra = dict(timeout=c.seconds(body, "timeout", where, default=None))
    label = c.string(body, "label", where, default=entry)
    family = c.string(body, "family", where, default=ref) if table == "optimizers" else ""
    if len(c.errors) > errors:
        return ()
    keys = list(sweep)
    variants = []
    for values in itertools.product(*(sweep[k] for k in keys)):
        suffix = ",".join(f"{k}={_text(v)}" for k, v in zip(keys, values))
        variants.append(Variant(
            name=f"{entry}[{suffix}]" if keys else entry, entry=entry, ref=ref,
            params={**params, **dict(zip(keys, values))},
            label=f"{label} ({suffix.replace(',', ', ')})" if keys else label,
            dial=dial, family=family, **extra))
    return tuple(variants)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if not isinstance(value, str) else value


def _grids(c: Checker, document: dict, tables: dict) -> list:
    raw = document.get("grid", [{}])
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(g, dict) for g in raw):
        c.add("grid", "must be an array of tables ([[grid]] blocks)")
        return []
    grids = []
    for index, body in enumerate(raw):
        where = f"grid[{index}]"
        c.keys(body, ("name",) + tuple(_KIND), where)
        names = {}
        for table in _KIND:
            listed = body.get(table, list(tables[table]))
            if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
                c.add(f"{where}.{table}", f"must be a list of entry names, got {listed!r}")
                continue
            for n in listed:
                if n not in tables[table]:
                    c.add(f"{where}.{table}", f"no entry {n!r} in [{table}]"
                          f"{c.suggest(n, tables[table])} Entries: "
                          f"{', '.join(tables[table]) or 'none'}.")
            names[table] = tuple(dict.fromkeys(listed))
            if not listed:
                c.add(f"{where}.{table}", "is empty")
        if c.ok():
            grids.append(Grid(name=str(body.get("name", f"grid {index + 1}")),
                              optimizers=names["optimizers"], problems=names["problems"],
                              initializers=names["initializers"]))
    return grids
