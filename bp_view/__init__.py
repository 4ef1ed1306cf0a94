"""bp_view: bp_core's numbers as pictures and equations, for a notebook or a page.

    from bp_core import Network, Stepper, datasets
    from bp_view import equations, figures
    data = datasets.load("xor", n=8)
    record = Stepper(Network([2, 3, 1], seed=0), data.X, data.Y, 0.5).step()  # forward 0
    for caption, fig in figures.phase_figures(record):   # the record says what it is
        fig.show()
    for eq in equations.for_neuron(record, j=0):         # neuron 0, example 0
        print(eq.latex, eq.caption)

Pure presentation: numpy and plotly only, never Streamlit, nothing about a page.
Everything imports downwards: bp_view reads bp_core's records and registries, and
bp_core knows nothing of bp_view.  figures.py and equations.py list the modules.
"""

from . import equations, figures, text

__all__ = ["equations", "figures", "text"]
