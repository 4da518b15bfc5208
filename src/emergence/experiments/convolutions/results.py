"""Chapter 2's results record: the headline numbers written to ``convolutions_from_data.json``.

:func:`results_record` builds the chapter's keys from the summary and the claims (the book's
``write_results`` adds the run's metadata); :data:`RESULT_KEYS` documents them on the scorecard
page.
"""

from __future__ import annotations

from emergence.claims import Claim

from .summary import ConvolutionsSummary

RESULT_KEYS = """\
- `ipr_random_baseline`: $3/(D+2)$, the mean IPR of a random Gaussian vector, for the ring of
  Section 2; `D`, `gain_main`, `t_final`: its size, gain and training time.
- `ipr_localised_nlgp`, `ipr_localised_clone`: final mean IPR of the neurons starting with
  $b_0 = +1$, NLGP and clone inputs; `ipr_other_nlgp`: the other population with NLGP inputs;
  `ipr_clone_max_population`: the larger of the two population means with clone inputs.
- `accuracy_nlgp`, `accuracy_clone`: test accuracy of these two networks.
- `ring_paper`: the 1D claim's networks (NLGP and clone at `gain_main`) trained to the paper's
  time: `t_final`, `ipr_localised_nlgp`, `ipr_localised_clone`, `ipr_clone_max_population`,
  `neuron_ipr_final` (each $b_0 = +1$ neuron of the NLGP network) and `neuron_onsets` (the first
  recorded time each exceeds 5× the baseline, `null` if never), `accuracy_nlgp`.
- `gain_sweep`: per gain, `gain`, `excess_kurtosis` (of a pixel), `ipr_nlgp`, `ipr_clone`
  (population $b_0 = +1$) and `t_onset_nlgp`, `t_onset_clone` (first time above 3× the
  baseline, `null` if never).
- `torus`: the 2D run (`D`, `t_final`, `ipr_random_baseline`, `ipr_localised_nlgp`, and
  `ipr_clone_max_population`: the larger of the clone network's two population means, as on
  the ring).
- `tiling`: `K` and `n_localised` of the wider ring network; `ring` and `torus`, each with
  `n_localised`, the nearest-neighbour `test` (`statistic` in sites, `random_mean`,
  `random_sd`, `ratio`, `p_value`) and the same test on the initial weights (`control`),
  `null` where fewer than two fields localised; `power`: for `ring` and `torus`, per jitter
  (`jitters`, a fraction of the lattice spacing), the test's power (`n`, `power`: the fraction
  of `n_power_sets` synthetic true tilings with p < 0.05) and `fields_needed`, the fewest fields
  with a power ≥ 0.8.
- `cnn_vs_fc_similarity` (localised FC fields vs CNN filters), `cnn_vs_fc_similarity_control`
  (clone FC fields vs CNN filters), `cnn_accuracy`.
- `projected_excess_kurtosis`: Section 6's first table; `covariance_check`: Section 1's check.
- `tensor_eigenvectors`: Section 6's eigenvectors of $\\kappa_4$, one row per input type and gain
  (`input`, `gain`, `ipr` mean, `ipr_min`, `ipr_max`, `converged` fraction,
  `excess_kurtosis` of the projections, `overlap_learned` with the learned $b_0 = +1$ fields
  at that gain), and the learned NLGP fields' overlap with the clone's eigenvectors and with
  random unit vectors. `overlap_rows`: the learned $b_0 = +1$ fields against each candidate
  `shape` (mixed-class and class-difference eigenvectors, a Gaussian bump of the fields' mean
  IPR of width `bump_sigma` sites, a box of `box_width` sites, random unit vectors, the clone's
  eigenvectors and learned fields): its mean `ipr`, the mean best `overlap` and `misfit`
  (1 − overlap). `reduced_dynamics`: the radius used and the final IPR of every run
  (`nlgp`/`clone`, `with`/`without` κ₄, radius).
- `ipr_2d`: the torus curve of the paper's Figure 1, the $b_0 = +1$ population's mean IPR at
  the recorded `times` for the NLGP and the clone.
- `claims`: one record per row of the chapter's claims table
  (`emergence.claims.Claim.to_dict`): `id` (stable across seeds), `claim`, `paper` and its
  `source`, `setting` (as in the paper, or the departure), `ours` and the headline number
  `value`, `criterion`, `holds`, `controls` (each with `name`, `value` and whether it `passes`
  the same criterion), `no_control`, `beyond_paper`, and the computed `verdict` and its
  `reason`.
"""


def data_note(summary: ConvolutionsSummary) -> str:
    """Which data the numbers came from (the results file's ``data``)."""
    cfg = summary.config
    return (f"generated: NLGP and Gaussian clone, xi = {cfg.xi}, 1D ring D = {summary.ring.D}, "
            f"2D torus {cfg.L2}x{cfg.L2}")


def results_record(summary: ConvolutionsSummary, claims: list[Claim]) -> dict:
    """The chapter's keys of the results file (:data:`RESULT_KEYS`)."""
    ring, torus, tiling, mechanism = (summary.ring, summary.torus, summary.tiling,
                                      summary.mechanism)
    return {
        "ipr_random_baseline": ring.baseline,
        "ipr_localised_nlgp": ring.ipr_localised_nlgp,
        "ipr_localised_clone": ring.ipr_localised_clone,
        "ipr_other_nlgp": ring.ipr_other_nlgp,
        "ipr_clone_max_population": ring.ipr_clone_max,
        "accuracy_nlgp": ring.accuracy_nlgp,
        "accuracy_clone": ring.accuracy_clone,
        "gain_main": ring.gain,
        "t_final": ring.t_final,
        "D": ring.D,
        "gain_sweep": ring.gain_rows,
        "ring_paper": {"t_final": summary.ring_paper.t_final,
                       "ipr_localised_nlgp": summary.ring_paper.ipr_localised_nlgp,
                       "ipr_localised_clone": summary.ring_paper.ipr_localised_clone,
                       "ipr_clone_max_population": summary.ring_paper.ipr_clone_max,
                       "neuron_ipr_final": summary.ring_paper.neuron_final,
                       "neuron_onsets": summary.ring_paper.neuron_onsets,
                       "accuracy_nlgp": summary.ring_paper.accuracy_nlgp},
        "torus": {"D": torus.D, "t_final": torus.t_final, "ipr_random_baseline": torus.baseline,
                  "ipr_localised_nlgp": torus.ipr_localised_nlgp,
                  "ipr_clone_max_population": torus.ipr_clone_max},
        "tiling": {"K": tiling.K, "n_localised": tiling.ring["n_localised"],
                   **{where: {key: found[key] for key in ("n_localised", "test", "control")}
                      for where, found in (("ring", tiling.ring), ("torus", tiling.torus))},
                   "jitters": list(tiling.jitters), "n_power_sets": tiling.n_power_sets,
                   "power": {where: {str(jitter): {
                       "rows": tiling.power[where][jitter],
                       "fields_needed": tiling.fields_needed(where, jitter)}
                       for jitter in tiling.jitters} for where in ("ring", "torus")}},
        "cnn_vs_fc_similarity": summary.cnn.match_nlgp,
        "cnn_vs_fc_similarity_control": summary.cnn.match_clone,
        "cnn_accuracy": summary.cnn.accuracy,
        "projected_excess_kurtosis": {name: kurtosis for name, (_, kurtosis)
                                      in mechanism.projections.items()},
        "covariance_check": {name: {"max_abs_error": error, "tolerance": tolerance}
                             for name, (error, tolerance)
                             in summary.inputs.covariance_errors.items()},
        "tensor_eigenvectors": {
            "rows": mechanism.fixed_rows,
            "overlap_nlgp_fields_clone_eigenvectors": mechanism.overlap_clone_points,
            "overlap_nlgp_fields_random_vectors": mechanism.overlap_random,
            "overlap_rows": mechanism.overlap_rows, "bump_sigma": mechanism.bump_sigma,
            "box_width": mechanism.box_width},
        "reduced_dynamics": {"radius": mechanism.radius, "final_ipr": mechanism.reduced_final},
        "ipr_2d": {"times": torus.times.tolist(), "nlgp": torus.population_curves[:, 0, 0].tolist(),
                   "clone": torus.population_curves[:, 1, 0].tolist()},
        "claims": [claim.to_dict() for claim in claims],
    }
