"""numba kernels: flat functions on arrays, scalars and Generators.

Nothing here validates input or raises on bad data; the Python API does that and then calls a
kernel, which reports what happened through status codes.
"""
