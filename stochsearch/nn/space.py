"""``WeightSpace``: the box of a network's parameter vectors, which knows the network.

It is a ``Real`` space, so every optimizer searches it as it searches any box; the network it
carries gives initializers the layer shapes they need (fan-in and fan-out), and the inputs it
may carry give data-dependent initializers (LSUV) a batch to look at.
"""
from __future__ import annotations

from .._validation import check_real, describe
from ..spaces import Real
from .mlp import MLP

__all__ = ["WeightSpace"]


class WeightSpace(Real):
    """Parameter vectors of ``network`` in the box ``[-bound, bound]``.

    Parameters
    ----------
    network : MLP
    bound : float
        Every parameter lies in ``[-bound, bound]``. Gradient-free search steps scale with the
        width of the box, and SGD is projected onto it.
    inputs : array_like, optional
        Inputs of the network (rows), for initializers that look at data (``LSUV``).

    Examples
    --------
    >>> space = WeightSpace(MLP((2, 3, 1), output="sigmoid"), bound=5.0)
    >>> space.dim, space.layers
    (13, [((2, 3), 0), ((3, 1), 9)])
    """

    def __init__(self, network: MLP, bound: float = 10.0,
                 inputs: int | None = None) -> None:
        if not isinstance(network, MLP):
            raise TypeError(f"network must be an MLP, got {describe(network)}")
        self.network = network
        self.bound = check_real("bound", bound, low=0.0, low_open=True)
        self.inputs = None if inputs is None else network.check_inputs(inputs)
        super().__init__(-self.bound, self.bound, dim=network.n_params)

    @property
    def layers(self) -> list[tuple[tuple[int, int], int]]:
        """``((n_in, n_out), offset)`` of each layer's kernel (its bias follows it)."""
        return self.network.layers

    def _key(self):
        return (*super()._key(), self.network._key())

    def __repr__(self):
        return f"WeightSpace({self.network!r}, bound={self.bound:g})"

    def __getstate__(self):
        return {"network": self.network, "bound": self.bound, "inputs": self.inputs}

    def __setstate__(self, state):
        self.__init__(state["network"], state["bound"], state["inputs"])

