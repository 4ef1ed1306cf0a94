"""Reference solution of exercises/ex2_output_delta.py."""


def output_delta(z, a, y):
    return (a - y) * a * (1.0 - a)  # BP1: (a − y) ⊙ σ'(z), σ'(z) = a(1 − a)
