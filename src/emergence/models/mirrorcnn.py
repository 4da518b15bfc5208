"""The small CNN of Farzmahdi et al. (2024, Fig. 4), trained from scratch on 32×32 images.

conv3×3(32) → ReLU → BN → conv3×3(32) → ReLU → maxpool2 → conv3×3(64) → ReLU → BN →
conv3×3(128) → ReLU → maxpool2 → fc(256) → ReLU → dropout 0.5 → fc(256) → ReLU → dropout 0.5 →
fc(classes). As in the authors' figure-4 notebooks the convolutions are unpadded, so a 32×32
input gives maps of 30, 28, 14, 12, 10 and 5 pixels and fc1 sees 128·5·5 values. Every layer
commutes with a horizontal flip of its input exactly when its filters are left-right symmetric
(the map sizes before each max-pool are even). :meth:`MirrorCNN.activations` returns the
responses the chapter analyses (after each ReLU, and after each pooling), plus ``gap``, the plain
spatial mean of pool2, the last pooling layer (the analogue of AlexNet's pool5, which the authors
pool; their pooled index z-scores the maps first:
:func:`emergence.analysis.mirror.pooled_responses`).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from emergence.profiles import require_choice, require_positive
from emergence.progress import progress_bar

LAYERS = ("conv1", "conv2", "pool1", "conv3", "conv4", "pool2", "fc1", "fc2")


class MirrorCNN(nn.Module):
    def __init__(self, n_classes: int, size: int = 32):
        super().__init__()
        require_positive("n_classes", n_classes, integer=True)
        if (isinstance(size, bool) or not isinstance(size, int) or size % 4 or size < 16):
            raise ValueError(f"size={size!r} is not allowed; it must be a multiple of 4 and at "
                             f"least 16 (pixels).")
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 32, 3)
        self.conv3 = nn.Conv2d(32, 64, 3)
        self.bn3 = nn.BatchNorm2d(64)
        self.conv4 = nn.Conv2d(64, 128, 3)
        self.fc1 = nn.Linear(128 * ((size - 4) // 2 - 4) ** 2 // 4, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, n_classes)
        self.drop = nn.Dropout(0.5)
        #: The random source of the dropout masks in training mode (``None``: PyTorch's global
        #: one). A network's own generator keeps its draws apart from those of a network trained
        #: at the same time in another thread.
        self.dropout_generator: torch.Generator | None = None

    def activations(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Responses of every analysed layer to images ``x`` (batch, 1, H, W)."""
        out = {}
        h = out["conv1"] = torch.relu(self.conv1(x))
        h = out["conv2"] = torch.relu(self.conv2(self.bn1(h)))
        h = out["pool1"] = nn.functional.max_pool2d(h, 2)
        h = out["conv3"] = torch.relu(self.conv3(h))
        h = out["conv4"] = torch.relu(self.conv4(self.bn3(h)))
        h = out["pool2"] = nn.functional.max_pool2d(h, 2)
        out["gap"] = h.mean((-2, -1))
        h = out["fc1"] = torch.relu(self.fc1(h.flatten(1)))
        h = out["fc2"] = torch.relu(self.fc2(self._dropout(h)))
        out["logits"] = self.fc3(self._dropout(h))
        return out

    def _dropout(self, h: torch.Tensor) -> torch.Tensor:
        """``self.drop`` with masks drawn from ``dropout_generator``: in training mode each
        value is kept with probability 1 − p and scaled by 1/(1 − p), as ``nn.Dropout`` does."""
        p = self.drop.p
        if not self.training or p == 0:
            return h
        if p == 1:
            return torch.zeros_like(h)
        keep = torch.empty_like(h).bernoulli_(1 - p, generator=self.dropout_generator)
        return h * keep / (1 - p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activations(x)["logits"]

    def scale_free_parameters(self) -> list[nn.Parameter]:
        """The weights and biases of conv1 and conv3, whose ReLU output is batch-normalised.

        Scaling one of these convolutions by c > 0 scales its ReLU output by c, which the batch
        normalisation after it divides out: in training mode the network computes the same
        function for every c, so only the *direction* of these weights matters.
        """
        return [*self.conv1.parameters(), *self.conv3.parameters()]


def init_like_paper(model: nn.Module, generator: torch.Generator) -> None:
    """Weights ~ N(0, 1/fan_in), biases 0 (the paper's untrained control)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator)
                                    / fan_in ** 0.5)
                module.bias.zero_()


def init_like_pytorch(model: nn.Module, generator: torch.Generator) -> None:
    r"""PyTorch's default initialisation of every convolution and linear layer, drawn from
    ``generator``: weights and biases :math:`\sim \mathcal U(-b, b)` with
    :math:`b = 1/\sqrt{\text{fan-in}}` (``kaiming_uniform_(a=√5)``: gain √(1/3), bound
    gain·√(3/fan-in)); batch normalisations start at scale 1 and shift 0. The authors' Fig. 4
    notebooks keep this default (they set no initialisation)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                bound = 1 / module.weight[0].numel() ** 0.5
                for tensor in (module.weight, module.bias):
                    tensor.copy_((2 * torch.rand(tensor.shape, generator=generator) - 1) * bound)
            elif isinstance(module, nn.BatchNorm2d):
                module.reset_parameters()


def augment(x: torch.Tensor, generator: torch.Generator, shift: float = 0.12,
            scale: tuple[float, float] = (0.8, 1.1)) -> torch.Tensor:
    """Random translation and scale (no flips), background filled with grey 0.5."""
    n = x.shape[0]
    s = scale[0] + (scale[1] - scale[0]) * torch.rand(n, generator=generator)
    t = shift * (2 * torch.rand(n, 2, generator=generator) - 1)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = theta[:, 1, 1] = 1 / s
    theta[:, :, 2] = t
    grid = nn.functional.affine_grid(theta.to(x), list(x.shape), align_corners=False)
    return nn.functional.grid_sample(x - 0.5, grid, align_corners=False) + 0.5


def train_classifier(model: MirrorCNN, images: torch.Tensor, labels: torch.Tensor,
                     generator: torch.Generator, *, epochs: int = 3, batch: int = 64,
                     lr: float = 3e-3, weight_decay: float = 4.0,
                     scale_free_decay: float | None = None, optimiser: str = "adamw",
                     schedule: str = "one_cycle", momentum: float = 0.9, step_epochs: int = 50,
                     step_gamma: float = 0.5,
                     augment_images: bool = True, desc: str = "training",
                     progress: bool = True,
                     on_epoch: Callable[[int], None] | None = None) -> dict:
    r"""Minimise the cross-entropy over ``images`` (N, 1, H, W) with one of two recipes.

    * ``optimiser="sgd"`` — **the authors' recipe** (their Fig. 4 CIFAR-10 notebook): SGD with
      momentum μ, :math:`v \leftarrow \mu v + g`, :math:`w \leftarrow w - \eta v`, the rate
      :math:`\eta` halved every ``step_epochs`` epochs (``StepLR``, factor ``step_gamma``),
      weight decay ``weight_decay`` (theirs: 0), and with ``augment_images=False`` the images as
      given (they augment nothing).
    * ``optimiser="adamw"`` — **our strong-decay recipe** (a departure): AdamW with a one-cycle
      schedule (a warm-up from ``lr``/25 to ``lr`` over the first 30 % of the steps, then a
      cosine decay) and :func:`augment` on each batch. Weight decay is decoupled: every step
      multiplies each weight by :math:`1 - \eta_t \lambda` before the Adam update, so over
      training the initial weights shrink by about :math:`\exp(-\lambda \sum_t \eta_t)`.
      Whatever the data do not need — in particular the random, reflection-asymmetric part of
      the initial weights — fades, and the weights keep only what the training images (which
      show every category from both sides) support.

    The :meth:`MirrorCNN.scale_free_parameters` (conv1, conv3) get their own decay,
    ``scale_free_decay`` (``None``: the same as ``weight_decay``). The network does not depend
    on their scale, so decay does not regularise them: it shrinks them without turning them, and
    under AdamW their direction changes only through the Adam steps, whose size (about η per
    weight) does not depend on the weight's norm. Their random initial direction therefore
    survives until decay has made them small enough for those steps to turn them; a stronger
    decay for them gets there within the run. A channel that the task does not push keeps
    shrinking until its response falls below the ε of the batch normalisation, and goes silent.
    ``on_epoch(epoch)``, when given, is called after each epoch (1, 2, …), e.g. to measure the
    network along the way; it must leave the model in training mode. Returns the loss per step
    and the number of images seen.
    """
    require_positive("epochs", epochs, integer=True)
    require_positive("batch", batch, integer=True)
    require_positive("lr", lr)
    if scale_free_decay is None:
        scale_free_decay = weight_decay
    require_choice("optimiser", optimiser, ("adamw", "sgd"))
    require_choice("schedule", schedule, ("one_cycle", "step"))
    for name, value in [("weight_decay", weight_decay), ("scale_free_decay", scale_free_decay),
                        ("momentum", momentum)]:
        if not value >= 0:
            raise ValueError(f"{name}={value!r} is not allowed; it must be ≥ 0.")
    if len(images) != len(labels):
        raise ValueError(f"images ({len(images)}) and labels ({len(labels)}) differ in length.")
    batch = min(batch, len(images))
    steps = epochs * (len(images) // batch)
    # channels-last tensors train this network about 15 % faster on a CPU (95–112 against
    # 113–132 ms per batch of 64, runs alternated); the parameters stay the same objects, and
    # the model is handed back in the ordinary layout
    model.to(memory_format=torch.channels_last)
    scale_free = {id(p) for p in model.scale_free_parameters()}
    groups = [{"params": [p for p in model.parameters() if id(p) not in scale_free],
               "weight_decay": weight_decay},
              {"params": model.scale_free_parameters(), "weight_decay": scale_free_decay}]
    optimiser = (torch.optim.SGD(groups, lr=lr, momentum=momentum) if optimiser == "sgd"
                 else torch.optim.AdamW(groups, lr=lr))
    per_step = schedule == "one_cycle"  # stepped after every batch; StepLR after every epoch
    schedule = (torch.optim.lr_scheduler.OneCycleLR(optimiser, lr, total_steps=steps) if per_step
                else torch.optim.lr_scheduler.StepLR(optimiser, step_epochs, step_gamma))
    model.train()
    losses = []
    with progress_bar(total=steps, desc=desc, disable=not progress, mininterval=1.0,
                      unit="step") as bar:
        for epoch in range(epochs):
            order = torch.randperm(len(images), generator=generator)
            for start in range(0, len(images) - batch + 1, batch):
                idx = order[start:start + batch]
                x = augment(images[idx], generator) if augment_images else images[idx]
                x = x.contiguous(memory_format=torch.channels_last)
                loss = nn.functional.cross_entropy(model(x), labels[idx])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                if per_step:
                    schedule.step()
                losses.append(loss.item())
                bar.update(1)
            if not per_step:
                schedule.step()
            if on_epoch is not None:
                on_epoch(epoch + 1)
    model.eval().to(memory_format=torch.contiguous_format)
    return {"loss": torch.tensor(losses), "images_seen": steps * batch}


@torch.no_grad()
def accuracy(model: MirrorCNN, images: torch.Tensor, labels: torch.Tensor,
             batch: int = 1024) -> float:
    """Fraction of ``images`` classified correctly (eval mode), ``batch`` images at a time (a
    held-out tenth of CIFAR-10 or SVHN at once would need gigabytes for conv1's maps)."""
    model.eval()
    correct = sum(int((model(images[i:i + batch]).argmax(-1) == labels[i:i + batch]).sum())
                  for i in range(0, len(images), batch))
    return correct / len(images)


@torch.no_grad()
def layer_responses(model: MirrorCNN, images: torch.Tensor, batch: int = 256) -> dict:
    """``{"pixels", conv1, …, fc2, gap}`` → responses (N, ...) of ``images`` (N, 1, H, W)."""
    model.eval()
    parts = [model.activations(images[i:i + batch]) for i in range(0, len(images), batch)]
    out = {"pixels": images}
    for name in (*LAYERS, "gap"):
        out[name] = torch.cat([p[name] for p in parts])
    return out
