"""Input generators and loaders."""

from emergence.data.nlgp import (
    DiscriminationTask,
    gp_kernel,
    nlgp_gamma,
    nlgp_kernel,
    nlgp_marginal_excess_kurtosis,
    stationary_covariance,
)

__all__ = [
    "DiscriminationTask",
    "gp_kernel",
    "nlgp_gamma",
    "nlgp_kernel",
    "nlgp_marginal_excess_kurtosis",
    "stationary_covariance",
]
