"""The LGN → V1 network with learned lateral connections (our reconstruction of Bertoni et al.
2021).

* ℓ⁰: one filter, ``Conv2d(1, 1, k0, padding=k0 // 2, bias=False)`` — the LGN analogue.
* ℓ¹: ``C`` filters, ``h₀ = ReLU(ℓ¹ ∗ ℓ⁰ ∗ x + b)`` — V1 simple cells (``l1_bias=False``:
  ``b = 0``, half-wave rectified linear filters).
* lateral propagation with a learned kernel ``K¹`` of shape (C, C, k, k), shared over space:

  ``h_{t+1} = ReLU(h₀ + K¹ ∗ h_t)``,  t = 0 … n − 1,

  so ``K¹ = 0`` gives ``h_n = h₀`` (``h₀ ≥ 0`` already).
* a head: ``head_layers − 1`` 3×3 convolutions with stride 1 and ReLU (none by default), a
  3×3 convolution with stride 2, ReLU, global average pooling and a linear read-out.
* ``lateral_form="transition"`` makes K¹ a **transition kernel** (the KerCNN reading of lateral
  connections: non-negative, spreading activity rather than amplifying it),
  ``K¹ᵢⱼ(Δ) = g · softplus(Wᵢⱼ(Δ)) / Σ_{j', Δ'} softplus(Wᵢⱼ'(Δ'))``, ``g = sigmoid(a)``: each
  unit's inputs sum to a learned gain g < 1, so the propagation is a contraction in the max norm
  whatever W is; it starts near a uniform spread with a small gain (``transition_gain``).
* ``lateral_form="transition_pooled_inhibition"`` keeps that transition kernel and adds an
  inhibition that knows no orientation: ``h_{t+1} = ReLU(h₀ + K¹ ∗ h_t − λ · P ∗ h_t)``, where
  ``P ∗ h`` is the mean of h over all C channels and the k × k adjacent cells (K¹'s size,
  whatever its dilation; zeros beyond the border) and ``λ = softplus(c)`` is learned (starting
  at ln 2). K¹ stays non-negative and normalised; the inhibition lets the ReLU act, which a
  non-negative K¹ alone never does (with ``h₀ ≥ 0`` every drive is ≥ 0).
* ``lateral_form="inhibitory"`` and ``"excitatory"`` are the free kernel restricted to one
  sign, ``K¹ = −|W|`` and ``K¹ = |W|`` (free scale, not normalised): probes of which sign the
  task uses K¹ for (the third search of Chapter 1), not models.
* ``lateral_form="contractive"`` is a signed kernel whose gain is bounded below 1, a contraction
  in the max norm like the transition kernel but free in sign:
  ``K¹ᵢⱼ(Δ) = g · Wᵢⱼ(Δ) / Σ_{j', Δ'} |Wᵢⱼ'(Δ')|``, ``g = sigmoid(a)``. It starts with W uniform
  in ±1 (so that Adam's steps are small against W) and g equal to the free kernel's expected
  ``Σ_{j, Δ} |K¹ᵢⱼ(Δ)|`` at its start, ``C k² · lateral_init / 2`` (at most 0.9): a probe of
  whether the task needs K¹ to amplify.
* ``lateral_dilation=d`` spaces K¹'s taps d V1 cells apart (a dilated convolution): the same
  multiply-adds reach d times further.
* ``l0_relu=True`` rectifies ℓ⁰'s output, ``ℓ¹ ∗ ReLU(ℓ⁰ ∗ x)`` (one filter followed by a ReLU, as
  in the LGN-CNN predecessor of the paper) — a lever we tried, not the default.

K¹ learns either through the task (the gradient of the cross-entropy) or, with ℓ⁰ and ℓ¹ fixed,
by a Hebbian rule with decay (:func:`hebbian_step`, our extension, not the paper's) whose fixed
point is the co-occurrence of the V1 responses across space and orientation
(:func:`response_correlation`). The same rule fed white noise through the same filters gives the
filter-overlap control of any learned K¹ (:func:`white_noise_kernel`).

ℓ⁰ and ℓ¹ start small (``init_scale`` × PyTorch's default): with both layers small, gradient
descent keeps them balanced frequency by frequency, ``|ℓ̂⁰(ω)|² ≈ Σ_i |ℓ̂¹_i(ω)|²``, the
condition under which ℓ⁰ inherits the symmetry of the whole ℓ¹ bank (see the chapter).
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

#: The forms of K¹: a free signed kernel, a transition kernel, or a probe — the free kernel
#: restricted to one sign, or a signed contraction (see the module's docstring).
LATERAL_FORMS = ("free", "transition", "transition_pooled_inhibition", "inhibitory",
                 "excitatory", "contractive")


class LateralV1Net(nn.Module):
    def __init__(self, n_filters: int = 32, n_classes: int = 10, k0: int = 7, k1: int = 7,
                 k_lateral: int = 7, n_iterations: int = 3, stride: int = 2,
                 head_channels: int = 32, init_scale: float = 0.1,
                 lateral_init: float = 1e-3, l0_delta: float = 0.0, l1_bias: bool = True,
                 l0_relu: bool = False, head_layers: int = 1, lateral_form: str = "free",
                 lateral_dilation: int = 1, transition_gain: float = 0.05,
                 generator: torch.Generator | None = None):
        super().__init__()
        if head_layers < 1:
            raise ValueError(f"head_layers must be at least 1, got {head_layers}")
        if lateral_form not in LATERAL_FORMS:
            raise ValueError(f"lateral_form must be one of {LATERAL_FORMS}, got {lateral_form!r}")
        if lateral_dilation < 1:
            raise ValueError(f"lateral_dilation must be at least 1, got {lateral_dilation}")
        if not 0 < transition_gain < 1:
            raise ValueError(f"transition_gain must lie in (0, 1), got {transition_gain}")
        self.n_iterations, self.stride, self.l0_relu = n_iterations, stride, l0_relu
        self.lateral_form, self.lateral_dilation = lateral_form, lateral_dilation
        # the gain g = sigmoid(a) of the transition forms and the contraction; unused otherwise
        self.lateral_gain = nn.Parameter(torch.tensor(math.log(transition_gain
                                                               / (1 - transition_gain))),
                                         requires_grad=lateral_form.startswith("transition")
                                         or lateral_form == "contractive")
        # the pooled inhibition's strength λ = softplus(c), c = 0 at the start
        self.inhibition = (nn.Parameter(torch.tensor(0.0))
                           if lateral_form == "transition_pooled_inhibition" else None)
        self.l0 = nn.Conv2d(1, 1, k0, padding=k0 // 2, bias=False)
        self.l1 = nn.Conv2d(1, n_filters, k1, padding=k1 // 2, stride=stride, bias=l1_bias)
        self.lateral = nn.Parameter(torch.zeros(n_filters, n_filters, k_lateral, k_lateral))
        widths = [n_filters] + [head_channels] * (head_layers - 1)
        self.head_convs = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1)
                                        for a, b in zip(widths[:-1], widths[1:], strict=True))
        self.head = nn.Conv2d(widths[-1], head_channels, 3, stride=2, padding=1)
        self.readout = nn.Linear(head_channels, n_classes)
        self.reset_parameters(init_scale, lateral_init, generator, l0_delta)

    @torch.no_grad()
    def reset_parameters(self, init_scale: float, lateral_init: float,
                         generator: torch.Generator | None, l0_delta: float = 0.0) -> None:
        """Seeded initialisation: uniform ±1/√fan_in (PyTorch's bound), ℓ⁰ and ℓ¹ scaled by
        ``init_scale``; ``l0_delta`` adds a centred delta (an identity pre-filter) to ℓ⁰."""
        def uniform(t: torch.Tensor, bound: float):
            t.copy_((torch.rand(t.shape, generator=generator) * 2 - 1) * bound)

        for module, scale in ((self.l0, init_scale), (self.l1, init_scale), (self.head, 1.0),
                              *((conv, 1.0) for conv in self.head_convs)):
            fan_in = module.weight[0].numel()
            uniform(module.weight, scale / fan_in ** 0.5)
            if module.bias is not None:
                module.bias.zero_()
        uniform(self.readout.weight, 1 / self.readout.in_features ** 0.5)
        self.readout.bias.zero_()
        contractive = self.lateral_form == "contractive"
        uniform(self.lateral, 1.0 if contractive else lateral_init)
        if contractive:  # g: the free kernel's expected Σ_{j, Δ} |K¹ᵢⱼ(Δ)| at the start
            gain = min(self.lateral[0].numel() * lateral_init / 2, 0.9)
            self.lateral_gain.fill_(math.log(gain / (1 - gain)))
        c = self.l0.weight.shape[-1] // 2
        self.l0.weight[0, 0, c, c] += l0_delta

    def v1(self, x: torch.Tensor) -> torch.Tensor:
        """``h₀ = ReLU(ℓ¹ ∗ ℓ⁰ ∗ x + b)`` (``ℓ¹ ∗ ReLU(ℓ⁰ ∗ x)`` with ``l0_relu``)."""
        lgn = self.l0(x)
        return F.relu(self.l1(F.relu(lgn) if self.l0_relu else lgn))

    def lateral_kernel(self) -> torch.Tensor:
        """K¹ (C, C, k, k): the weights themselves (``free``), ``−|W|`` (``inhibitory``), ``|W|``
        (``excitatory``), ``g · W / Σ_{j, Δ} |W|`` (``contractive``), or the transition kernel
        ``g · softplus(W) / Σ_{j, Δ} softplus(W)`` (the two ``transition`` forms)."""
        if self.lateral_form == "free":
            return self.lateral
        if self.lateral_form == "contractive":
            rows = self.lateral.abs().sum(dim=(1, 2, 3), keepdim=True)
            return torch.sigmoid(self.lateral_gain) * self.lateral / rows
        if self.lateral_form in ("inhibitory", "excitatory"):
            sign = -1.0 if self.lateral_form == "inhibitory" else 1.0
            return sign * self.lateral.abs()
        spread = F.softplus(self.lateral)
        return torch.sigmoid(self.lateral_gain) * spread / spread.sum(dim=(1, 2, 3), keepdim=True)

    def propagate(self, h0: torch.Tensor, n: int | None = None) -> torch.Tensor:
        """``n`` steps of ``h_{t+1} = ReLU(h₀ + K¹ ∗ h_t − λ · P ∗ h_t)`` starting from ``h₀``
        (K¹'s taps ``lateral_dilation`` cells apart; the pooled inhibition ``λ · P ∗ h`` only
        with ``transition_pooled_inhibition``, else ``λ = 0``)."""
        h, kernel, d = h0, self.lateral_kernel(), self.lateral_dilation
        k = kernel.shape[-1]
        strength = None if self.inhibition is None else F.softplus(self.inhibition)
        for _ in range(self.n_iterations if n is None else n):
            drive = F.conv2d(h, kernel, padding=d * (k // 2), dilation=d)
            if strength is not None:
                pooled = F.avg_pool2d(h.mean(dim=1, keepdim=True), k, stride=1, padding=k // 2,
                                      count_include_pad=True)
                drive = drive - strength * pooled
            h = F.relu(h0 + drive)
        return h

    def classify(self, h: torch.Tensor) -> torch.Tensor:
        """The head: logits from the propagated V1 activity ``h``."""
        for conv in self.head_convs:
            h = F.relu(conv(h))
        return self.readout(F.relu(self.head(h)).mean(dim=(-2, -1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classify(self.propagate(self.v1(x)))

    def effective_filters(self) -> torch.Tensor:
        """``E_i = ℓ⁰ ∗ ℓ¹_i`` (a true convolution of the two correlation kernels), (C, k, k)."""
        a = self.l0.weight.detach()[0, 0]
        b = self.l1.weight.detach()[:, 0]
        k = a.shape[-1] + b.shape[-1] - 1
        # corr(corr(x, a), b) = corr(x, a ∗ b): compute a ∗ b as a correlation with flipped a
        padded = F.pad(b[:, None], (a.shape[-1] - 1,) * 4)
        out = F.conv2d(padded, a.flip(-1, -2)[None, None])
        return out[:, 0, :k, :k]

    def receptive_margin(self) -> int:
        """Width, in V1 cells, of the border of h₀ whose receptive fields reach the padding."""
        radius = (self.l0.weight.shape[-1] - 1) // 2 + (self.l1.weight.shape[-1] - 1) // 2
        return -(-radius // self.stride)

    def snapshot(self) -> dict[str, torch.Tensor]:
        """Copies of ℓ⁰ (k0, k0), ℓ¹ (C, k1, k1) and K¹ (C, C, k, k;
        :meth:`lateral_kernel`) on the CPU."""
        return {"l0": self.l0.weight.detach()[0, 0].cpu().clone(),
                "l1": self.l1.weight.detach()[:, 0].cpu().clone(),
                "lateral": self.lateral_kernel().detach().cpu().clone()}


def response_correlation(h0: torch.Tensor, k: int, margin: int = 0,
                         dilation: int = 1) -> torch.Tensor:
    """Co-activity of the V1 responses at every lateral offset — the Hebbian term,

    ``C_ij(Δ) = mean_{n, x} ĥ_i(x) ĥ_j(x + Δ)``,

    where ``ĥ`` are the responses ``h₀`` standardised per channel over the batch and the mean
    runs over the positions where both ``x`` and ``x + Δ`` lie in the map, without a border of
    ``margin`` cells (there the filters see the zero padding of the image, whose artificial
    straight edges along the border would be counted as co-linear activity). Shape (C, C, k, k),
    indexed like K¹ (``K¹[i, j]`` carries ``h_j`` at offset Δ into unit ``i``), so ``C_ii(0) = 1``.
    With ``dilation`` d the offsets are d cells apart, ``Δ ∈ d · {−k//2, …, k//2}²`` (the taps of a
    dilated K¹).
    It is the edge co-occurrence statistic of natural images seen through the V1 filters — what
    the group-based models of horizontal connectivity describe (Sigman et al. 2001; Geisler et
    al. 2001).
    """
    h = h0.detach()
    if margin > 0:
        h = h[..., margin:-margin, margin:-margin]
    n, _, height, width = h.shape
    centred = h - h.mean(dim=(0, 2, 3), keepdim=True)
    h = centred / (centred.pow(2).mean(dim=(0, 2, 3), keepdim=True).sqrt() + 1e-6)
    channels_first = h.transpose(0, 1)  # (C, N, H, W): the batch becomes the summed dimension
    # out[j, i, Δ] = Σ_{n, x} ĥ_j(x + Δ) ĥ_i(x)
    # every offset up to the reach d (k // 2), then the dilated taps among them
    sums = F.conv2d(channels_first, channels_first, padding=dilation * (k // 2))
    sums = sums[..., ::dilation, ::dilation].transpose(0, 1)
    offsets = dilation * (torch.arange(k, device=h.device) - k // 2)
    rows = (height - offsets.abs()).clamp(min=1).to(h.dtype)
    cols = (width - offsets.abs()).clamp(min=1).to(h.dtype)
    return sums / (n * rows[:, None] * cols[None, :])


@torch.no_grad()
def hebbian_target(h0: torch.Tensor, n_filters: int, k: int, margin: int,
                   gain: float, dilation: int = 1) -> torch.Tensor:
    """What one Hebbian step pulls K¹ towards: ``g / (C k²) · C̊(h₀)``, the
    :func:`response_correlation` of the batch away from a border of ``margin`` cells, without
    the self-loops ``C_ii(0)``, scaled by ``gain / (C k²)``."""
    target = response_correlation(h0, k, margin, dilation)
    centre = k // 2
    target[torch.arange(n_filters), torch.arange(n_filters), centre, centre] = 0.0
    return target * (gain / (n_filters * k * k))


@torch.no_grad()
def hebbian_step(net: LateralV1Net, h0: torch.Tensor, rate: float, gain: float) -> None:
    """One step of Hebbian learning with decay for the lateral kernel,

    ``K¹ ← (1 − η) K¹ + η · g / (C k²) · C̊(h₀)``,

    with ``C̊`` the :func:`response_correlation` of the batch (away from the image border)
    without the self-loops ``C_ii(0)`` (:func:`hebbian_target`): units that are active together
    at offset Δ strengthen their connection, and every weight decays at the rate η. The fixed
    point is ``K¹ = g / (C k²) · E[C̊]``; the factor ``g / (C k²)`` (``gain`` g) keeps the
    propagation ``h ← ReLU(h₀ + K¹ ∗ h)`` contractive for the filter counts and kernel sizes we
    use.
    """
    if net.lateral_form != "free":
        raise ValueError(f"the Hebbian rule updates a free K¹, not the {net.lateral_form} form")
    n_filters, _, k, _ = net.lateral.shape
    target = hebbian_target(h0, n_filters, k, net.receptive_margin(), gain,
                            net.lateral_dilation)
    net.lateral.mul_(1 - rate).add_(target, alpha=rate)


@torch.no_grad()
def white_noise_kernel(net: LateralV1Net, size: int, n_batches: int, generator: torch.Generator,
                       *, batch_size: int = 128, gain: float = 8.0,
                       device: torch.device | str = "cpu") -> torch.Tensor:
    """The **filter-overlap control** of a lateral kernel: the kernel the Hebbian rule
    (:func:`hebbian_step`) converges to when the network's own ℓ⁰ and ℓ¹ see **white noise**
    (independent N(0, 1) pixels, ``size`` × ``size``: a standardised image without any structure).

    With decay, K¹ after many steps is an average of the per-batch targets
    (:func:`hebbian_target`), so its fixed point is their expectation; we compute it directly as
    the mean target over ``n_batches`` batches of ``batch_size`` images — the same gain, border
    margin and per-batch standardisation as the Hebbian stage (tested against the iterated rule).
    What it contains is the co-occurrence of the responses that the overlap of the filters'
    receptive fields alone produces (the KerCNN kernel, Montobbio et al. 2019), whatever the
    images: a lateral kernel says something about images only beyond it. Shape (C, C, k, k).
    """
    n_filters, _, k, _ = net.lateral.shape
    total = torch.zeros(net.lateral.shape, dtype=torch.float64)
    for _ in range(n_batches):
        x = torch.randn(batch_size, 1, size, size, generator=generator)
        h0 = net.v1(x.to(device))
        total += hebbian_target(h0, n_filters, k, net.receptive_margin(), gain,
                                net.lateral_dilation).double().cpu()
    return (total / n_batches).float()


def lateral_operator_norm(kernel: torch.Tensor, size: int = 32) -> float:
    """Operator norm of the lateral map ``h ↦ K¹ ∗ h`` on a periodic ``size`` × ``size`` grid,
    ``max_ω σ_max(K̂¹(ω))`` (the largest singular value of the C × C Fourier transform over
    all frequencies). Below 1, ``h ↦ ReLU(h₀ + K¹ ∗ h)`` is a contraction (ReLU is
    1-Lipschitz): the propagation cannot blow up however often it is iterated."""
    spectrum = torch.fft.fft2(kernel.detach().double().cpu(), s=(size, size))  # (C, C, ω, ω)
    return float(torch.linalg.matrix_norm(spectrum.permute(2, 3, 0, 1), ord=2).max())


def lr_factor(step: int, n_steps: int, warmup: int = 0, cosine: bool = False) -> float:
    """The learning rate of update ``step`` (0, 1, …, ``n_steps − 1``) as a fraction of the
    peak: a linear warm-up ``(step + 1) / warmup`` over the first ``warmup`` updates, then
    ``1`` — or, with ``cosine``, ``½ (1 + cos(π (step − warmup) / (n_steps − warmup)))``,
    from 1 down towards 0 at the last update."""
    if step < warmup:
        return (step + 1) / warmup
    if not cosine:
        return 1.0
    return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (n_steps - warmup)))


def train_lateral(net: LateralV1Net, sample_batch, n_steps: int, generator: torch.Generator, *,
                  batch_size: int = 128, lr: float = 3e-3, weight_decay: float = 1e-3,
                  warmup_steps: int = 0, cosine_decay: bool = False, grad_clip: float = 0.0,
                  noise: float = 0.5, train_filters: bool = True, hebbian_rate: float = 0.0,
                  hebbian_gain: float = 8.0,
                  record_at=(), desc: str = "training ℓ⁰, ℓ¹, K¹",
                  device: torch.device | str = "cpu", progress: bool = True) -> dict:
    """Train ``net`` with Adam through :func:`emergence.train.train`.

    ``sample_batch(n, generator)`` gives clean ``(x, y)``. Each image gets additive Gaussian
    noise of a standard deviation drawn uniformly in ``[0, noise]`` (a corrupted-image task, as in
    KerCNNs, which gives the lateral propagation something to do). The loss is the cross-entropy
    of the labels. With ``train_filters=False`` ℓ⁰ and ℓ¹ stay fixed. With ``hebbian_rate`` η > 0
    K¹ no longer follows the gradient: after each step it makes one :func:`hebbian_step` on the
    batch's V1 responses (gain ``hebbian_gain``). L2 weight decay ``weight_decay`` acts on ℓ⁰,
    ℓ¹ and a gradient-trained K¹ only. The learning rate of each update is ``lr`` times
    :func:`lr_factor` (``warmup_steps``, ``cosine_decay``; by default constant). With
    ``grad_clip`` > 0 the gradient of all parameters together is rescaled to that norm when
    it is longer, ``g ← g · min(1, c / ‖g‖)``, before each update.
    Returns ``{"snapshots": [...], "steps": [...], "loss": tensor}`` (the cross-entropy).
    """
    from emergence.train import train

    net.to(device)
    filters = [p for p in (net.l0.weight, net.l1.weight, net.l1.bias) if p is not None]
    decay = [net.l0.weight, net.l1.weight] if train_filters else []
    if hebbian_rate <= 0:
        decay.append(net.lateral)
    frozen = ([] if train_filters else filters) + ([net.lateral] if hebbian_rate > 0 else [])
    others = [p for p in net.parameters()
              if all(p is not d for d in decay) and all(p is not f for f in frozen)]
    optimiser = torch.optim.Adam([{"params": decay, "weight_decay": weight_decay},
                                  {"params": others, "weight_decay": 0.0}], lr=lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda i: lr_factor(i, n_steps, warmup_steps, cosine_decay))
    losses = []

    def sample(m):
        x, y = sample_batch(m * batch_size, generator)
        sd = noise * torch.rand(len(x), 1, 1, 1, generator=generator)
        noisy = x + sd * torch.randn(x.shape, generator=generator)
        return (noisy.view(m, batch_size, *x.shape[1:]).to(device),
                y.view(m, batch_size).to(device))

    def step(x, y):
        with torch.set_grad_enabled(train_filters):
            h0 = net.v1(x)
        loss = F.cross_entropy(net.classify(net.propagate(h0)), y)
        optimiser.zero_grad()
        loss.backward()
        if grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
        optimiser.step()
        schedule.step()
        if hebbian_rate > 0:
            hebbian_step(net, h0, hebbian_rate, hebbian_gain)
        losses.append(loss.detach())

    marks = sorted(set(int(s) for s in record_at))
    net.lateral.requires_grad_(hebbian_rate <= 0)
    try:
        snapshots = train(step, sample, n_steps, record_at=marks, record=net.snapshot, chunk=25,
                          desc=desc, progress=progress)
    finally:
        net.lateral.requires_grad_(True)
    return {"snapshots": snapshots, "steps": marks, "loss": torch.stack(losses).cpu()}


@torch.no_grad()
def accuracy(net: LateralV1Net, x: torch.Tensor, y: torch.Tensor, batch: int = 500) -> float:
    """Fraction of ``x`` classified correctly."""
    device = next(net.parameters()).device
    correct = 0
    for i in range(0, len(x), batch):
        correct += int((net(x[i:i + batch].to(device)).argmax(1).cpu() == y[i:i + batch]).sum())
    return correct / len(x)
