"""Translation-invariant inputs of Ingrosso & Goldt (2022): the non-linear Gaussian process (NLGP)
and its Gaussian clone, on a ring (1D, ``D = L``) or a torus (2D, ``D = L²``).

Gaussian process with correlation length ξ, ``d`` the periodic distance on the lattice::

    C(d) = exp(-d² / ξ²)                        (2D: C(d₁, d₂) = C(d₁) C(d₂))

NLGP with gain g, ``z ~ N(0, C)``::

    x_i = erf(g z_i / √2) / √γ(g),       γ(g) = (2/π) arcsin(g² / (1 + g²))

so every pixel has unit variance and the covariance is
``C_x = (2 / (π γ)) arcsin(g² C / (1 + g²))``. The *Gaussian clone* is the Gaussian field with
covariance ``C_x``: the same first two moments, no higher-order structure.

Every covariance here is stationary (circulant), so it is diagonal in the Fourier basis: a field
is sampled as ``z = IFFT(√λ · FFT(ε))`` with ε white noise and λ the FFT of the kernel. This costs
O(D log D) per sample instead of the O(D²) of a Cholesky factor. The paper's recipe adds 1e-3 to
the diagonal to make a Cholesky factor exist; with the spectral method we instead clip the few
negative eigenvalues that a wide Gaussian kernel on a small ring has and renormalise to unit
variance (:func:`stationary_covariance` returns the covariance actually sampled).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from emergence.profiles import require_positive


def _check_lattice(L: int, dim: int) -> None:
    require_positive("L", L, integer=True)
    if L < 4:
        raise ValueError(f"L={L!r} is not allowed; the lattice needs at least 4 sites per side.")
    if dim not in (1, 2):
        raise ValueError(f"dim={dim!r} is not allowed; choose one of 1 (ring), 2 (torus).")


def periodic_distance(L: int) -> torch.Tensor:
    """``d(k) = min(k, L − k)`` for offsets ``k = 0 … L−1`` on a ring of ``L`` sites."""
    k = torch.arange(L, dtype=torch.float64)
    return torch.minimum(k, L - k)


def gp_kernel(L: int, xi: float, dim: int = 1) -> torch.Tensor:
    """The GP covariance as a function of the offset: shape ``(L,)`` or ``(L, L)``.

    ``C(d) = exp(-d²/ξ²)``; in 2D the product of two 1D kernels. The kernel is projected onto
    the positive semi-definite cone (negative Fourier eigenvalues clipped) and renormalised to
    ``C(0) = 1``, so it is exactly the covariance the sampler draws from.
    """
    _check_lattice(L, dim)
    require_positive("xi", xi)
    k1 = torch.exp(-periodic_distance(L) ** 2 / xi**2)
    kernel = k1 if dim == 1 else torch.outer(k1, k1)
    spectrum = torch.fft.fftn(kernel).real.clamp_min(0.0)
    kernel = torch.fft.ifftn(spectrum).real
    return kernel / kernel.reshape(-1)[0]


def nlgp_gamma(gain: float) -> float:
    """``γ(g) = (2/π) arcsin(g² / (1 + g²))``, the variance of ``erf(g z/√2)``, ``z ~ N(0,1)``."""
    require_positive("gain", gain)
    return 2.0 / math.pi * math.asin(gain**2 / (1.0 + gain**2))


def nlgp_kernel(gp: torch.Tensor, gain: float) -> torch.Tensor:
    """The NLGP covariance ``(2/(πγ)) arcsin(g² C / (1 + g²))`` for the GP kernel ``C``."""
    gamma = nlgp_gamma(gain)
    return 2.0 / (math.pi * gamma) * torch.asin(gain**2 * gp / (1.0 + gain**2))


def nlgp_marginal_excess_kurtosis(gain: float, n: int = 200_001) -> float:
    """Excess kurtosis ``E[x⁴]/E[x²]² − 3`` of one NLGP pixel, by quadrature over ``z ~ N(0,1)``.

    0 in the Gaussian limit g → 0, −2 in the sign limit g → ∞.
    """
    require_positive("gain", gain)
    z = torch.linspace(-12.0, 12.0, n, dtype=torch.float64)
    density = torch.exp(-z**2 / 2) / math.sqrt(2 * math.pi)
    x = torch.erf(gain * z / math.sqrt(2))
    m2 = torch.trapezoid(density * x**2, z)
    m4 = torch.trapezoid(density * x**4, z)
    return float(m4 / m2**2 - 3.0)


def stationary_covariance(kernel: torch.Tensor) -> torch.Tensor:
    """The ``D × D`` covariance matrix ``Σ_ij = kernel(x_j − x_i)`` of a stationary field."""
    shape = kernel.shape
    coords = torch.stack(torch.meshgrid(*[torch.arange(n) for n in shape], indexing="ij"), -1)
    coords = coords.reshape(-1, len(shape))
    offsets = (coords[None, :, :] - coords[:, None, :]) % torch.tensor(shape)
    return kernel[tuple(offsets.unbind(-1))]


class DiscriminationTask:
    """The paper's binary task, for ``B`` independent networks at once.

    For network ``b`` a label ``y = ±1`` is drawn uniformly; ``y = +1`` (class 0) inputs come from
    the field with short correlation length ``xi[0]``, ``y = −1`` (class 1) from the field with long
    correlation length ``xi[1]``. Network ``b`` sees NLGP inputs of gain ``gains[b]``, or, when
    ``gaussian_clone[b]`` is true, their Gaussian clones.

    :meth:`sample` returns ``x`` of shape ``(n, B, D)`` (float32) and ``y`` of shape ``(n, B)``.
    """

    def __init__(
        self,
        L: int,
        dim: int,
        gains: Sequence[float],
        gaussian_clone: Sequence[bool] | bool = False,
        xi: tuple[float, float] = (1.0, 3.0),
        device: torch.device | str = "cpu",
    ):
        _check_lattice(L, dim)
        gains = [float(g) for g in gains]
        if not gains:
            raise ValueError("gains=[] is not allowed; give at least one gain.")
        for g in gains:
            require_positive("gain", g)
        if len(xi) != 2:
            raise ValueError(f"xi={xi!r} is not allowed; give two correlation lengths (ξ0, ξ1).")
        for value in xi:
            require_positive("xi", value)
        clones = [bool(gaussian_clone)] * len(gains) if isinstance(gaussian_clone, bool) \
            else [bool(c) for c in gaussian_clone]
        if len(clones) != len(gains):
            raise ValueError(f"gaussian_clone has {len(clones)} entries but gains has "
                             f"{len(gains)}; give one flag per network.")
        self.L, self.dim, self.D = L, dim, L**dim
        self.xi, self.gains, self.gaussian_clone = tuple(xi), gains, clones
        self.device = torch.device(device)

        gp = [gp_kernel(L, x, dim) for x in xi]
        # covariance of the *latent* Gaussian field of each class and network: the GP kernel for
        # NLGP networks (the non-linearity is applied after sampling), the NLGP kernel for clones
        latent = [[nlgp_kernel(k, g) if c else k for g, c in zip(gains, clones, strict=True)]
                  for k in gp]
        self.input_kernels = [torch.stack([nlgp_kernel(k, g) for g in gains]) for k in gp]
        sqrt_spectra = [torch.stack([self._sqrt_half_spectrum(k) for k in ks]) for ks in latent]
        self._sqrt_spectra = torch.stack(sqrt_spectra).to(self.device)  # (2, B, *half_shape)
        self._gain = torch.tensor(gains, dtype=torch.float32, device=self.device)
        self._scale = torch.tensor([1 / math.sqrt(nlgp_gamma(g)) for g in gains],
                                   dtype=torch.float32, device=self.device)
        self._nonlinear = ~torch.tensor(clones, device=self.device)

    @property
    def n_networks(self) -> int:
        return len(self.gains)

    def _sqrt_half_spectrum(self, kernel: torch.Tensor) -> torch.Tensor:
        spectrum = torch.fft.rfftn(kernel).real.clamp_min(0.0)
        return spectrum.sqrt().to(torch.complex64)

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw ``n`` labelled inputs for each of the ``B`` networks (see the class docstring)."""
        require_positive("n", n, integer=True)
        B, shape = self.n_networks, (self.L,) * self.dim
        dims = tuple(range(-self.dim, 0))
        y = torch.randint(0, 2, (n, B), generator=generator, device=self.device)
        noise = torch.randn((n, B, *shape), generator=generator, device=self.device)
        sqrt_spectrum = self._sqrt_spectra[y, torch.arange(B, device=self.device)]
        z = torch.fft.irfftn(sqrt_spectrum * torch.fft.rfftn(noise, dim=dims), s=shape, dim=dims)
        z = z.reshape(n, B, self.D)
        nlgp = torch.erf(self._gain[:, None] * z / math.sqrt(2)) * self._scale[:, None]
        x = torch.where(self._nonlinear[:, None], nlgp, z)
        return x, (1 - 2 * y).to(torch.float32)
