"""Chapter 2's summary: every number the page states, computed once from the runs.

:func:`summarise` reads the runs of :mod:`.runs` and returns a :class:`ConvolutionsSummary`, one
part per section of the page; the page's glue, the claims (:mod:`.claims`), the results record
(:mod:`.results`) and the figures (:mod:`.figures`) all read it. Localisation is measured by the
inverse participation ratio ``IPR(w) = Σ_i w_i⁴ / (Σ_i w_i²)²`` against the random baseline
``3/(D+2)`` (:mod:`emergence.analysis.localisation`). The two populations of a committee are the
neurons that start with bias ``b₀ = +1`` (they vote for the short-range class, index 0) and
``b₀ = −1`` (index 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import spearmanr

from emergence.analysis.cumulants import best_shift_overlap
from emergence.analysis.localisation import (
    box_field,
    excess_kurtosis,
    field_centres,
    fields_needed,
    first_time_above,
    gaussian_bump,
    ipr,
    population_ipr,
    random_ipr_baseline,
    shift_invariant_similarity,
    tiling_power,
    tiling_test,
    width_matched_bump,
)
from emergence.data.nlgp import (
    DiscriminationTask,
    nlgp_marginal_excess_kurtosis,
    stationary_covariance,
)
from emergence.profiles import make_generator

from .config import CHOICE_SEEDS, HELD_OUT_SEEDS, ConvolutionsConfig
from .runs import cached_run

#: The onset of localisation: the first recorded time a population's mean IPR exceeds this
#: multiple of the random baseline.
ONSET_FACTOR = 3
#: "Detects a true tiling most of the time" (our reading): in at least this fraction of the
#: synthetic tilings the test gives p < 0.05.
POWERFUL = 0.8
#: The sizes of synthetic tilings on the torus (square lattices).
TORUS_POWER_SIZES = (4, 9, 16, 25)
#: The paper's Figure 1: the localised population's IPR on the 20×20 torus is ≈ 0.05–0.06 at
#: t = 10⁴ (the lower end, and that time).
PAPER_IPR_2D, PAPER_TIME_2D = 0.05, 1e4
#: Offsets ``j − i`` at which Section 1 shows the covariance.
COVARIANCE_OFFSETS = np.arange(-8, 9)
#: Section 1's histogram of the pixel values: bins and range.
MARGINAL_BINS, MARGINAL_RANGE = 80, (-3.5, 3.5)
#: The fields whose projections Section 6 compares (the keys of ``projected_excess_kurtosis``).
ONE_PIXEL = "one pixel (a one-hot field)"
LOCALISED_FIELD = "learned localised field (NLGP, b₀ = +1)"
EXTENDED_FIELD = "learned extended field (NLGP, b₀ = −1)"
CLONE_FIELD = "learned field of the clone network"
RANDOM_FIELD = "random Gaussian field"
#: The shapes Section 6 compares with the learned fields (the ``shape`` of ``overlap_rows``).
MIXED_EIGENVECTORS = "eigenvectors of κ₄ (both classes mixed, as the task draws them)"
DIFFERENCE_EIGENVECTORS = "eigenvectors of (κ₄⁰ − κ₄¹)/2 (the derivation's tensor, b = +1)"
GAUSSIAN_BUMP = "a Gaussian bump of the fields' mean IPR"
BOX = "a box of ≈ 1/IPR sites"
RANDOM_UNITS = "random unit vectors"
CLONE_EIGENVECTORS = "eigenvectors of the clone's κ₄"
CLONE_FIELDS = "the clone network's learned fields (b₀ = +1)"


@dataclass(frozen=True)
class InputsSummary:
    """Section 1: ``n_samples`` inputs at gain ``gain`` for the NLGP (index 0) and its clone
    (index 1), both classes, and the check of their covariance against the analytic one."""

    gain: float
    n_samples: int
    examples: torch.Tensor  # (input type, class, D): the first input of each class
    marginal_edges: np.ndarray  # (MARGINAL_BINS + 1,)
    marginal_density: np.ndarray  # (input type, MARGINAL_BINS): pixels of both classes
    analytic_by_offset: torch.Tensor  # (input type, offsets): class 0, at COVARIANCE_OFFSETS
    empirical_by_offset: torch.Tensor  # (input type, offsets): averaged over positions i
    covariance_errors: dict[str, tuple[float, float]]  # "NLGP_class0" … → (max |error|, 6 SE)
    clone_covariance_difference: float  # max |C_clone − C_NLGP| of the analytic kernels

    @property
    def covariance_ok(self) -> bool:
        return all(error <= tolerance for error, tolerance in self.covariance_errors.values())

    @property
    def largest_covariance_error(self) -> float:
        return max(error for error, _ in self.covariance_errors.values())

    @property
    def smallest_tolerance(self) -> float:
        return min(tolerance for _, tolerance in self.covariance_errors.values())


@dataclass(frozen=True)
class RingSummary:
    """Sections 2, 3 and 7: the committees on the ring of ``L`` sites, one per gain of
    ``gains`` with NLGP inputs (networks ``0 … G−1``) and with the clone (``G … 2G−1``)."""

    L: int
    gains: tuple[float, ...]
    gain: float  # the main gain, g_main
    times: np.ndarray  # (snapshots,), t = steps / D, the first at t = 0
    baseline: float  # 3/(D+2)
    starts_positive: torch.Tensor  # (K,) bool: the neurons that start with b₀ = +1
    weights: torch.Tensor  # (snapshots, networks, K, D)
    population_ipr: torch.Tensor  # (snapshots, networks, population)
    accuracy: torch.Tensor  # (networks,)
    nlgp_network: int  # the network with NLGP inputs at g_main
    clone_network: int  # the network with the clone at g_main
    ipr_localised_nlgp: float  # final mean IPR of population b₀ = +1, NLGP at g_main
    ipr_other_nlgp: float  # … of population b₀ = −1
    ipr_localised_clone: float  # … of population b₀ = +1, clone at g_main
    ipr_clone_max: float  # the larger of the two final population means, clone at g_main
    ipr_initial_nlgp: float  # population b₀ = +1, NLGP at g_main, at t = 0
    accuracy_nlgp: float
    accuracy_clone: float
    gain_rows: list[dict]  # per gain: excess kurtosis, final IPR (b₀ = +1), onset times
    gain_rank_correlation: float  # Spearman, final IPR (NLGP, b₀ = +1) against the gain

    @property
    def D(self) -> int:
        return self.L

    @property
    def t_final(self) -> float:
        return float(self.times[-1])

    def final_fields(self, network: int, starts_positive: bool = True) -> torch.Tensor:
        """The final weights ``(K/2, D)`` of one population of ``network``."""
        mask = self.starts_positive if starts_positive else ~self.starts_positive
        return self.weights[-1, network][mask]


@dataclass(frozen=True)
class RingPaperSummary:
    """Section 2's 1D claim at the paper's time: the NLGP and clone networks at the main gain
    trained to ``t1_paper`` (``run_ring_paper``)."""

    L: int
    times: np.ndarray  # (snapshots,), the first at t = 0
    baseline: float
    neuron_ipr: torch.Tensor  # (snapshots, K/2): each b₀ = +1 neuron of the NLGP network
    ipr_localised_nlgp: float  # final mean IPR of population b₀ = +1, NLGP
    ipr_initial_nlgp: float  # the same at t = 0
    ipr_localised_clone: float  # final, population b₀ = +1, clone
    ipr_clone_max: float  # the larger of the clone's two final population means
    neuron_onsets: list  # per b₀ = +1 neuron (NLGP): first recorded time its IPR exceeds the
    #                      localised factor × the baseline, None if never
    localised_factor: float
    accuracy_nlgp: float

    @property
    def D(self) -> int:
        return self.L

    @property
    def t_final(self) -> float:
        return float(self.times[-1])

    @property
    def neuron_final(self) -> list[float]:
        return self.neuron_ipr[-1].tolist()


@dataclass(frozen=True)
class TorusSummary:
    """Section 2's torus of ``L × L`` pixels (the paper's Figure 1) at the main gain: the NLGP
    network (index 0) and the clone network (index 1)."""

    L: int
    gain: float
    times: np.ndarray  # (snapshots,), the first at t = 0
    baseline: float
    starts_positive: torch.Tensor  # (K,) bool
    final_fields: torch.Tensor  # (network, K, D)
    population_curves: torch.Tensor  # (snapshots, network, population): mean IPR
    ipr_localised_nlgp: float  # final, population b₀ = +1
    ipr_clone_max: float  # the larger of the two final population means, clone network
    ipr_localised_clone: float  # final, population b₀ = +1
    ipr_initial_nlgp: float  # population b₀ = +1 at t = 0
    last_change: float  # relative change of ipr_localised_nlgp over the last two snapshots
    end_slope: float  # d log IPR / d log t of that population over the last two snapshots
    ipr_at_paper_time: float | None  # its IPR at t = PAPER_TIME_2D (log-t interpolation), or
    #                                  None if the run stops earlier
    time_to_paper_level: float | None  # t at which, growing at end_slope, it would reach
    #                                    PAPER_IPR_2D (None if reached, or not growing)
    accuracy_nlgp: float
    accuracy_clone: float
    nlgp_network: int  # in the torus run, the network with NLGP inputs at the main gain

    @property
    def D(self) -> int:
        return self.L * self.L

    @property
    def t_final(self) -> float:
        return float(self.times[-1])

    @property
    def t_before(self) -> float:
        return float(self.times[-2])


@dataclass(frozen=True)
class TilingSummary:
    """Section 4: do the localised fields tile the input? ``ring`` (the wider network of ``K``
    neurons) and ``torus``, each from :func:`tiling_summary`."""

    K: int
    n_random: int
    ring: dict
    torus: dict
    ring_fields_by_centre: torch.Tensor  # (n_localised, D): the ring's fields, sorted by centre
    jitters: tuple[float, ...]  # jitter of the synthetic tilings, as a fraction of the spacing
    n_power_sets: int  # synthetic tilings per size
    power: dict  # "ring" / "torus" → jitter → tiling_power rows ({"n", "power"})

    def fields_needed(self, where: str, jitter: float) -> int | None:
        """The fewest fields with which the test detects a true tiling (``jitter``) in at
        least :data:`POWERFUL` of the synthetic sets on the ``ring`` or ``torus``."""
        return fields_needed(self.power[where][jitter], POWERFUL)

    def power_at(self, where: str, jitter: float) -> float | None:
        """The test's power at this run's number of localised fields (``None`` if that size
        was not simulated, e.g. a non-square number on the torus)."""
        n = (self.ring if where == "ring" else self.torus)["n_localised"]
        return next((r["power"] for r in self.power[where][jitter] if r["n"] == n), None)


@dataclass(frozen=True)
class CnnSummary:
    """Section 5: the convolutional committee against the fully connected fields."""

    accuracy: float
    filters: torch.Tensor  # (channels, D): those starting with b = +1 (all, if none does)
    ipr: float  # mean IPR of these filters
    similarity: torch.Tensor  # (K/2, channels): FC fields (NLGP, b₀ = +1) against filters
    similarity_control: torch.Tensor  # the same for the clone's FC fields
    match_nlgp: float  # mean over fields of the best similarity to a filter
    match_clone: float  # the same for the clone's fields (the control)


@dataclass(frozen=True)
class MechanismSummary:
    """Section 6: the fourth cumulant κ₄ of the inputs, on the ring."""

    projections: dict[str, tuple[float, float]]  # field → (mean IPR, excess kurtosis of w·x)
    fixed_rows: list[dict]  # per input type and gain: the Z-eigenvectors of κ₄
    nlgp: dict  # the row of the NLGP at g_main
    clone: dict  # the row of the clone
    main_points: torch.Tensor  # (starts, D): the eigenvectors of the NLGP at g_main
    best_points: torch.Tensor  # (K/2,): the eigenvector closest to each learned field
    overlap_clone_points: float  # learned fields (NLGP) against the clone's eigenvectors
    overlap_random: float  # learned fields (NLGP) against random unit vectors
    ipr_random_units: float
    gain_ipr_spread: float  # max / min over the NLGP gains of the eigenvectors' mean IPR
    difference_points: torch.Tensor  # (starts, D): eigenvectors of (κ₄⁰ − κ₄¹)/2, g_main
    bump_sigma: float  # σ (sites) of the Gaussian bump whose IPR is the learned fields' mean
    box_width: int  # sites of the box, round(1 / the learned fields' mean IPR)
    overlap_rows: list[dict]  # per shape: "shape", mean "ipr", mean best "overlap" with the
    #                           learned fields (NLGP, b₀ = +1) and "misfit" = 1 − overlap
    radius: float  # ‖w‖ of the reduced neuron
    radii: tuple[float, ...]
    reduced_steps: np.ndarray
    reduced_curves: dict[str, torch.Tensor]  # "{nlgp|clone}-{with|without}-{radius:g}" → IPR
    reduced_final: dict[str, float]  # the same keys → final IPR (mean over starts)

    def overlap(self, shape: str) -> dict:
        """The row of ``overlap_rows`` for ``shape`` (one of the shape names above)."""
        return next(row for row in self.overlap_rows if row["shape"] == shape)

    def reduced(self, inputs: str, with_kappa4: bool, radius: float | None = None) -> float:
        """Final IPR of the reduced neuron (``inputs`` ``nlgp`` or ``clone``)."""
        radius = self.radius if radius is None else radius
        return self.reduced_final[reduced_key(inputs, with_kappa4, radius)]


@dataclass(frozen=True)
class ConvolutionsSummary:
    """Everything the chapter states about one run (one part per section)."""

    config: ConvolutionsConfig
    inputs: InputsSummary
    ring: RingSummary
    ring_paper: RingPaperSummary
    torus: TorusSummary
    tiling: TilingSummary
    cnn: CnnSummary
    mechanism: MechanismSummary


def reduced_key(inputs: str, with_kappa4: bool, radius: float) -> str:
    """The key of a reduced-dynamics run in ``run_mechanism``'s result."""
    return f"{inputs}-{'with' if with_kappa4 else 'without'}-{radius:g}"


def summarise_inputs(cfg: ConvolutionsConfig, seed: int, device: torch.device
                     ) -> tuple[InputsSummary, torch.Tensor, torch.Tensor]:
    """Section 1, from ``cfg.n_cov`` fresh inputs (random stream ``inputs``). Also returns the
    NLGP inputs and their labels, ``(n, D)`` and ``(n,)``, for Section 6's projections.

    Covariance check: a sample covariance of unit-variance pixels has entries with standard
    error ≤ √(2/n); the largest deviation of the ``D²`` entries from the analytic covariance
    ``stationary_covariance`` stays below 6 such standard errors.
    """
    task = DiscriminationTask(cfg.L1, 1, [cfg.g_main, cfg.g_main], gaussian_clone=[False, True],
                              xi=cfg.xi, device=device)
    x, y = task.sample(cfg.n_cov, make_generator(seed, "inputs", device))
    x, y = x.cpu(), y.cpu()
    examples = torch.stack([torch.stack([x[y[:, b] == label, b][0] for label in (1.0, -1.0)])
                            for b in range(2)])
    histograms = [np.histogram(x[:, b].flatten().numpy(), bins=MARGINAL_BINS,
                               range=MARGINAL_RANGE, density=True) for b in range(2)]
    errors, analytic_curves, empirical_curves = {}, [], []
    shift, span = int(-COVARIANCE_OFFSETS[0]), len(COVARIANCE_OFFSETS)
    for b, name in enumerate(["NLGP", "clone"]):
        for cls, label in enumerate([+1.0, -1.0]):
            xs = x[y[:, b] == label, b].double()
            empirical = xs.T @ xs / len(xs)
            analytic = stationary_covariance(task.input_kernels[cls][b])
            tolerance = 6 * math.sqrt(2 / len(xs))
            errors[f"{name}_class{cls}"] = (float((empirical - analytic).abs().max()), tolerance)
            if cls == 0:
                by_offset = torch.stack([torch.roll(empirical[i], -i)
                                         for i in range(cfg.L1)]).mean(0)
                analytic_curves.append(torch.roll(analytic[0], shift)[:span])
                empirical_curves.append(torch.roll(by_offset, shift)[:span])
    summary = InputsSummary(
        gain=cfg.g_main, n_samples=cfg.n_cov, examples=examples,
        marginal_edges=histograms[0][1], marginal_density=np.stack([h[0] for h in histograms]),
        analytic_by_offset=torch.stack(analytic_curves),
        empirical_by_offset=torch.stack(empirical_curves), covariance_errors=errors,
        clone_covariance_difference=float(
            (task.input_kernels[0][0] - task.input_kernels[0][1]).abs().max()))
    return summary, x[:, 0], y[:, 0]


def summarise_ring(cfg: ConvolutionsConfig, sweep: dict) -> RingSummary:
    """Sections 2 and 3 from the gain sweep (``run_sweep``)."""
    gains = list(cfg.gains)
    n_gains = len(gains)
    times = sweep["times"].numpy()
    by_population = population_ipr(sweep["weights"], sweep["initial_bias_sign"])
    baseline = random_ipr_baseline(cfg.L1)
    nlgp, clone = gains.index(cfg.g_main), n_gains + gains.index(cfg.g_main)
    kurtosis = [nlgp_marginal_excess_kurtosis(g) for g in gains]
    ipr_nlgp_by_gain = by_population[-1, :n_gains, 0].tolist()
    ipr_clone_by_gain = by_population[-1, n_gains:, 0].tolist()
    onsets = [first_time_above(by_population[:, b, 0], times, ONSET_FACTOR * baseline)
              for b in range(2 * n_gains)]
    rows = [{"gain": g, "excess_kurtosis": k, "ipr_nlgp": a, "ipr_clone": c,
             "t_onset_nlgp": o, "t_onset_clone": oc}
            for g, k, a, c, o, oc in zip(gains, kurtosis, ipr_nlgp_by_gain, ipr_clone_by_gain,
                                         onsets[:n_gains], onsets[n_gains:], strict=True)]
    return RingSummary(
        L=cfg.L1, gains=tuple(gains), gain=cfg.g_main, times=times, baseline=baseline,
        starts_positive=sweep["initial_bias_sign"] > 0, weights=sweep["weights"],
        population_ipr=by_population, accuracy=sweep["accuracy"], nlgp_network=nlgp,
        clone_network=clone,
        ipr_localised_nlgp=float(by_population[-1, nlgp, 0]),
        ipr_other_nlgp=float(by_population[-1, nlgp, 1]),
        ipr_localised_clone=float(by_population[-1, clone, 0]),
        ipr_clone_max=float(by_population[-1, clone].max()),
        ipr_initial_nlgp=float(by_population[0, nlgp, 0]),
        accuracy_nlgp=float(sweep["accuracy"][nlgp]),
        accuracy_clone=float(sweep["accuracy"][clone]),
        gain_rows=rows, gain_rank_correlation=float(spearmanr(gains, ipr_nlgp_by_gain).statistic))


def summarise_ring_paper(cfg: ConvolutionsConfig, run: dict) -> RingPaperSummary:
    """Section 2's 1D claim from ``run_ring_paper`` (network 0 the NLGP, 1 the clone)."""
    times = run["times"].numpy()
    baseline = random_ipr_baseline(cfg.L1)
    positive = run["initial_bias_sign"] > 0
    per_neuron = ipr(run["weights"])  # (snapshots, 2, K)
    by_population = population_ipr(run["weights"], run["initial_bias_sign"])  # (snapshots, 2, 2)
    neurons = per_neuron[:, 0][:, positive]
    return RingPaperSummary(
        L=cfg.L1, times=times, baseline=baseline, neuron_ipr=neurons,
        ipr_localised_nlgp=float(by_population[-1, 0, 0]),
        ipr_initial_nlgp=float(by_population[0, 0, 0]),
        ipr_localised_clone=float(by_population[-1, 1, 0]),
        ipr_clone_max=float(by_population[-1, 1].max()),
        neuron_onsets=[first_time_above(neurons[:, k], times, cfg.localised_factor * baseline)
                       for k in range(neurons.shape[1])],
        localised_factor=cfg.localised_factor, accuracy_nlgp=float(run["accuracy"][0]))


def ring_paper_seeds(cfg: ConvolutionsConfig, device: torch.device,
                     seeds=CHOICE_SEEDS + HELD_OUT_SEEDS) -> dict:
    """The 1D claim at the paper's time over ``seeds``: the ``ring_paper`` run of each seed
    (cached; a few seconds each at ``cpu``) summarised as ``{"baseline": 3/(D+2), "ring_paper":
    {seed: {"ipr", "clone_max", "onsets"}}}`` (the b₀ = +1 population's final IPR, the clone's
    larger population mean, each b₀ = +1 neuron's onset)."""
    rows = {}
    for seed in seeds:
        paper_ring = summarise_ring_paper(cfg, cached_run("ring_paper", cfg, seed, device))
        rows[seed] = {"ipr": paper_ring.ipr_localised_nlgp, "clone_max": paper_ring.ipr_clone_max,
                      "onsets": paper_ring.neuron_onsets}
    return {"baseline": random_ipr_baseline(cfg.L1), "ring_paper": rows}


def summarise_torus(cfg: ConvolutionsConfig, torus: dict) -> TorusSummary:
    """Section 2's torus from ``run_torus``, at the main gain."""
    gains = list(cfg.gains2)
    networks = (gains.index(cfg.g_main), len(gains) + gains.index(cfg.g_main))  # NLGP, clone
    per_neuron = ipr(torus["weights"])  # (snapshots, networks, K)
    starts_positive = torus["initial_bias_sign"] > 0
    curves = torch.stack([torch.stack([per_neuron[:, net][:, mask].mean(-1)
                                       for mask in (starts_positive, ~starts_positive)], -1)
                          for net in networks], 1)
    nlgp_curve = curves[:, 0, 0]
    times = torus["times"].numpy()
    if len(times) < 3 or times[-2] <= 0:
        raise ValueError(f"torus snapshots at t = {times.tolist()}: the end slope needs two "
                         "after t = 0.")
    end = (float(nlgp_curve[-2]), float(nlgp_curve[-1]))
    slope = math.log(end[1] / end[0]) / math.log(times[-1] / times[-2])
    at_paper = None
    if times[-1] >= PAPER_TIME_2D:
        logs = np.log(times[1:])
        at_paper = float(np.exp(np.interp(math.log(PAPER_TIME_2D), logs,
                                          np.log(nlgp_curve[1:].numpy()))))
    to_level = None
    if end[1] < PAPER_IPR_2D and slope > 0:
        to_level = float(times[-1] * (PAPER_IPR_2D / end[1]) ** (1 / slope))
    return TorusSummary(
        L=cfg.L2, gain=cfg.g_main, times=torus["times"].numpy(),
        baseline=random_ipr_baseline(cfg.L2**2), starts_positive=starts_positive,
        final_fields=torus["weights"][-1, list(networks)], population_curves=curves,
        ipr_localised_nlgp=float(nlgp_curve[-1]),
        ipr_clone_max=float(curves[-1, 1].max()),
        ipr_localised_clone=float(per_neuron[-1, networks[1]][starts_positive].mean()),
        ipr_initial_nlgp=float(nlgp_curve[0]),
        last_change=float(nlgp_curve[-1] / nlgp_curve[-2] - 1), end_slope=slope,
        ipr_at_paper_time=at_paper, time_to_paper_level=to_level,
        accuracy_nlgp=float(torus["accuracy"][networks[0]]),
        accuracy_clone=float(torus["accuracy"][networks[1]]), nlgp_network=networks[0])


def tiling_summary(cfg: ConvolutionsConfig, run: dict, L: int, dim: int, network: int,
                   generator: torch.Generator) -> dict:
    """Do the localised fields of ``network`` tile the input better than random positions?

    Localised: neurons starting with ``b = +1`` whose final IPR is at least
    ``cfg.localised_factor`` × the random baseline. Their centres (circular centre of mass of
    ``w²``) go through :func:`~emergence.analysis.localisation.tiling_test`. The control is the
    same test on the centres of the same neurons' initial weights (``t = 0``), which carry no
    spatial structure. Returns ``n_localised``, their final ``fields`` and ``centres``, and
    ``test`` and ``control`` (``None`` with fewer than two localised fields).
    """
    baseline = random_ipr_baseline(L**dim)
    final, initial = run["weights"][-1, network], run["weights"][0, network]
    chosen = (run["initial_bias_sign"] > 0) & (ipr(final) >= cfg.localised_factor * baseline)
    centres = field_centres(final[chosen], L, dim)
    n = int(chosen.sum())
    found = {"n_localised": n, "fields": final[chosen], "centres": centres}
    if n < 2:
        return found | {"test": None, "control": None}
    return found | {"test": tiling_test(centres, L, dim, generator, cfg.n_random_tiling),
                    "control": tiling_test(field_centres(initial[chosen], L, dim), L, dim,
                                           generator, cfg.n_random_tiling)}


def summarise_tiling(cfg: ConvolutionsConfig, tiling: dict, torus: dict, torus_network: int,
                     seed: int) -> TilingSummary:
    """Section 4: the wider ring network (``run_tiling``) and the torus' NLGP network (random
    streams ``tiling-test`` and ``tiling-test-2d``), and the test's power against synthetic
    true tilings (:func:`~emergence.analysis.localisation.tiling_power`, stream
    ``tiling-power``): on the ring for 2 … ``K_tiling`` fields, on the torus for the square
    lattices :data:`TORUS_POWER_SIZES`."""
    ring = tiling_summary(cfg, tiling, cfg.L1, 1, 0, make_generator(seed, "tiling-test", "cpu"))
    on_torus = tiling_summary(cfg, torus, cfg.L2, 2, torus_network,
                              make_generator(seed, "tiling-test-2d", "cpu"))
    power_generator = make_generator(seed, "tiling-power", "cpu")
    sizes = {"ring": (cfg.L1, 1, range(2, cfg.K_tiling + 1)),
             "torus": (cfg.L2, 2, TORUS_POWER_SIZES)}
    power = {where: {jitter: tiling_power(n_values, L, dim, power_generator, cfg.n_power_sets,
                                          cfg.n_random_tiling, jitter)
                     for jitter in cfg.tiling_jitters}
             for where, (L, dim, n_values) in sizes.items()}
    return TilingSummary(K=cfg.K_tiling, n_random=cfg.n_random_tiling, ring=ring,
                         torus=on_torus,
                         ring_fields_by_centre=ring["fields"][torch.argsort(ring["centres"])],
                         jitters=tuple(cfg.tiling_jitters), n_power_sets=cfg.n_power_sets,
                         power=power)


def summarise_cnn(cfg: ConvolutionsConfig, cnn: dict, ring: RingSummary) -> CnnSummary:
    """Section 5: the CNN's filters (the channels starting with ``b = +1``) against the fully
    connected fields of population ``b₀ = +1`` at the main gain, by the best cosine similarity
    over circular shifts (:func:`~emergence.analysis.localisation.shift_invariant_similarity`)."""
    positive = cnn["bias"] > 0
    filters = cnn["filters"][positive] if bool(positive.any()) else cnn["filters"]
    similarity = shift_invariant_similarity(ring.final_fields(ring.nlgp_network), filters,
                                            cfg.L1, 1)
    control = shift_invariant_similarity(ring.final_fields(ring.clone_network), filters,
                                         cfg.L1, 1)
    return CnnSummary(accuracy=float(cnn["accuracy"]), filters=filters,
                      ipr=float(ipr(filters).mean()), similarity=similarity,
                      similarity_control=control, match_nlgp=float(similarity.amax(-1).mean()),
                      match_clone=float(control.amax(-1).mean()))


def projected_kurtosis(x: torch.Tensor, y: torch.Tensor, fields: dict[str, torch.Tensor]
                       ) -> dict[str, tuple[float, float]]:
    """For each set of ``fields`` ``(m, D)``: their mean IPR and the mean excess kurtosis of the
    projections ``s = w·x/‖w‖`` of the class-0 inputs (``y = +1``) of ``x`` ``(n, D)``."""
    table = {}
    for name, w in fields.items():
        s = x @ w.T / w.norm(dim=-1)
        table[name] = (float(ipr(w).mean()), float(excess_kurtosis(s[y == 1], 0).mean()))
    return table


def shape_overlaps(cfg: ConvolutionsConfig, mechanism: dict, ring: RingSummary,
                   random_units: torch.Tensor) -> tuple[float, int, list[dict]]:
    """Section 6's candidate shapes against the learned b₀ = +1 fields (NLGP, ``g_main``): the
    width-matched bump's σ, the box's width and one row per shape (``shape``, mean ``ipr``, mean
    best shift-invariant ``overlap`` with the fields, ``misfit`` = 1 − overlap)."""
    localised = ring.final_fields(ring.nlgp_network)
    gains = mechanism["gains"].tolist()
    fields_ipr = float(ipr(localised).mean())
    sigma = width_matched_bump(fields_ipr, cfg.L1)
    width = max(1, round(1 / fields_ipr))
    shapes = {MIXED_EIGENVECTORS: mechanism["fixed_points"][gains.index(cfg.g_main)],
              DIFFERENCE_EIGENVECTORS: mechanism["difference_points"],
              GAUSSIAN_BUMP: gaussian_bump(cfg.L1, sigma)[None],
              BOX: box_field(cfg.L1, width)[None], RANDOM_UNITS: random_units,
              CLONE_EIGENVECTORS: mechanism["fixed_points"][-1],
              CLONE_FIELDS: ring.final_fields(ring.clone_network)}
    rows = []
    for shape, vectors in shapes.items():
        overlap = float(best_shift_overlap(localised, vectors, cfg.L1, 1)[0].mean())
        rows.append({"shape": shape, "ipr": float(ipr(vectors).mean()), "overlap": overlap,
                     "misfit": 1 - overlap})
    return sigma, width, rows


def shape_overlaps_over_seeds(cfg: ConvolutionsConfig, device: torch.device,
                              seeds=CHOICE_SEEDS) -> dict[int, list[dict]]:
    """:func:`shape_overlaps` at each of ``seeds``, from that seed's (cached) gain sweep and
    mechanism runs: ``{seed: rows}``."""
    out = {}
    for seed in seeds:
        ring = summarise_ring(cfg, cached_run("sweep", cfg, seed, device))
        random_units = torch.randn(cfg.n_starts, cfg.L1,
                                   generator=make_generator(seed, "random-units", "cpu"))
        out[seed] = shape_overlaps(cfg, cached_run("mechanism", cfg, seed, device), ring,
                                   random_units)[2]
    return out


def summarise_mechanism(cfg: ConvolutionsConfig, mechanism: dict, ring: RingSummary,
                        x: torch.Tensor, y: torch.Tensor, seed: int) -> MechanismSummary:
    """Section 6 from ``run_mechanism``, the ring's learned fields and the NLGP inputs ``x``,
    ``y`` of Section 1 (random streams ``probe`` and ``random-units``)."""
    localised = ring.final_fields(ring.nlgp_network)
    projections = projected_kurtosis(x, y, {
        ONE_PIXEL: torch.eye(cfg.L1)[:1], LOCALISED_FIELD: localised,
        EXTENDED_FIELD: ring.final_fields(ring.nlgp_network, starts_positive=False),
        CLONE_FIELD: ring.final_fields(ring.clone_network),
        RANDOM_FIELD: torch.randn(cfg.K, cfg.L1, generator=make_generator(seed, "probe", "cpu"))})
    gains = mechanism["gains"].tolist()
    random_units = torch.randn(cfg.n_starts, cfg.L1,
                               generator=make_generator(seed, "random-units", "cpu"))
    rows = []
    for b, (g, is_clone) in enumerate(zip(gains, mechanism["clone"].tolist(), strict=True)):
        points = mechanism["fixed_points"][b]
        network = None  # the ring network trained on the same inputs, if the sweep has one
        if g in ring.gains:
            network = (len(ring.gains) if is_clone else 0) + ring.gains.index(g)
        rows.append({
            "input": "clone" if is_clone else "NLGP", "gain": g,
            "ipr": float(ipr(points).mean()), "ipr_min": float(ipr(points).min()),
            "ipr_max": float(ipr(points).max()),
            "converged": float(mechanism["converged"][b].float().mean()),
            "excess_kurtosis": float(mechanism["excess_kurtosis"][b].mean()),
            "overlap_learned": None if network is None else
            float(best_shift_overlap(ring.final_fields(network), points, cfg.L1, 1)[0].mean())})
    nlgp_rows = [r for r in rows if r["input"] == "NLGP"]
    main_points = mechanism["fixed_points"][gains.index(cfg.g_main)]
    reduced_final = {key: value[-1].mean().item()
                     for key, value in mechanism["reduced_ipr"].items()}
    sigma, width, overlap_rows = shape_overlaps(cfg, mechanism, ring, random_units)
    return MechanismSummary(
        projections=projections, fixed_rows=rows,
        nlgp=next(r for r in nlgp_rows if r["gain"] == cfg.g_main),
        clone=next(r for r in rows if r["input"] == "clone"), main_points=main_points,
        best_points=best_shift_overlap(localised, main_points, cfg.L1, 1)[1],
        overlap_clone_points=float(best_shift_overlap(
            localised, mechanism["fixed_points"][-1], cfg.L1, 1)[0].mean()),
        overlap_random=float(best_shift_overlap(localised, random_units, cfg.L1, 1)[0].mean()),
        ipr_random_units=float(ipr(random_units).mean()),
        gain_ipr_spread=max(r["ipr"] for r in nlgp_rows) / min(r["ipr"] for r in nlgp_rows),
        difference_points=mechanism["difference_points"], bump_sigma=sigma, box_width=width,
        overlap_rows=overlap_rows,
        radius=cfg.radius, radii=tuple(cfg.radii),
        reduced_steps=mechanism["reduced_steps"].numpy(),
        reduced_curves={key: value.mean(-1) for key, value in mechanism["reduced_ipr"].items()},
        reduced_final=reduced_final)


def summarise(cfg: ConvolutionsConfig, runs: dict[str, dict], seed: int,
              device: torch.device) -> ConvolutionsSummary:
    """The chapter's summary from its runs (``runs.load_runs``) and a fresh input sample."""
    inputs, x_nlgp, y_nlgp = summarise_inputs(cfg, seed, device)
    ring = summarise_ring(cfg, runs["sweep"])
    torus = summarise_torus(cfg, runs["torus"])
    return ConvolutionsSummary(
        config=cfg, inputs=inputs, ring=ring,
        ring_paper=summarise_ring_paper(cfg, runs["ring_paper"]), torus=torus,
        tiling=summarise_tiling(cfg, runs["tiling"], runs["torus"], torus.nlgp_network, seed),
        cnn=summarise_cnn(cfg, runs["cnn"], ring),
        mechanism=summarise_mechanism(cfg, runs["mechanism"], ring, x_nlgp, y_nlgp, seed))
