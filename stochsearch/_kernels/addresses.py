"""Rebuild a Generator and first-class functions from raw addresses inside kernels.

Why: numba's own unboxing of a ``numpy.random.Generator`` costs about 7 us per call and of a
jitted function passed as a first-class argument about 60 us, because both go through ctypes and
the dispatcher in Python. A step of an ask/tell loop must cost well under a microsecond, and a
kernel that takes a jitted function as an ordinary argument is specialized per function and never
reused from the on-disk cache (DESIGN.md section 5). So kernels take integers instead: the
addresses of the bit generator (``stochsearch._rng.generator_handle``) and of compiled functions
(``stochsearch._kernels.signatures.function_address``), and these two intrinsics turn them back into the
values numba would have built. Both follow numba's data models for these types (checked by
``tests/_kernels/test_addresses.py``).
"""
from __future__ import annotations

import warnings

from numba import types
from numba.core import cgutils
from numba.core.errors import NumbaExperimentalFeatureWarning
from numba.extending import intrinsic

from . import signatures

__all__ = ["generator_from_handle", "load_function"]

# Kernels use first-class function types on purpose (DESIGN.md section 5); numba warns about
# them at every compilation, which would reach users as noise.
warnings.filterwarnings("ignore", message="First-class function type feature is experimental",
                        category=NumbaExperimentalFeatureWarning)

_GENERATOR = types.NumPyRandomGeneratorType("NumPyRandomGeneratorType")
_BIT_GENERATOR = types.NumPyRandomBitGeneratorType("bit_generator")


@intrinsic
def generator_from_handle(typingctx, handle):
    """A Generator sharing the state of the one whose ``generator_handle`` is ``handle``."""
    if not (isinstance(handle, types.Array) and handle.dtype == types.uint64):
        return None

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])

        def word(i):
            index = context.get_constant(types.intp, i)
            return builder.load(builder.gep(array.data, [index]))

        bit_generator = cgutils.create_struct_proxy(_BIT_GENERATOR)(context, builder)
        bit_generator.parent = context.get_constant_null(types.pyobject)
        bit_generator.state_address = word(0)
        bit_generator.state = word(0)
        bit_generator.fnptr_next_uint64 = word(1)
        bit_generator.fnptr_next_uint32 = word(2)
        bit_generator.fnptr_next_double = word(3)
        bit_generator.bit_generator = word(4)
        generator = cgutils.create_struct_proxy(_GENERATOR)(context, builder)
        generator.bit_generator = bit_generator._getvalue()
        # No meminfo and no parent: the Python Generator is kept alive by the caller, and the
        # kernel never hands this value back to Python.
        generator.meminfo = context.get_constant_null(types.MemInfoPointer(types.voidptr))
        generator.parent = context.get_constant_null(types.pyobject)
        return generator._getvalue()

    return _GENERATOR(handle), codegen


@intrinsic
def load_function(typingctx, address, role, dtype):
    """The compiled function of ``role`` (a string literal naming a role of
    ``stochsearch._kernels.signatures``) for points of element type ``dtype``, at ``address``.

    Only types are read from ``role`` and ``dtype``, so loading costs nothing at run time (no
    array is touched, hence no reference counting). The address must come from
    ``signatures.function_address`` for the same role and space kind.
    """
    if not isinstance(address, types.Integer) or not isinstance(role, types.StringLiteral) \
            or not isinstance(dtype, types.DType):
        return None
    kind = signatures.kind_of(dtype.dtype)
    function_type = types.FunctionType(signatures.signature(role.literal_value, kind))

    def codegen(context, builder, signature, args):
        function = cgutils.create_struct_proxy(function_type)(context, builder)
        null = context.get_constant_null(types.voidptr)
        function.c_addr = null
        function.py_addr = null
        # The jit entry point follows numba's calling convention, so exceptions raised inside
        # the function (a user's numba objective) propagate to the caller.
        function.jit_addr = builder.inttoptr(args[0], context.get_value_type(types.voidptr))
        return function._getvalue()

    return function_type(address, role, dtype), codegen
