"""bp_view: bp_core's numbers as pictures and equations, for a notebook or a page.

    from bp_core import Network, Stepper
    from bp_view import equations, figures
    record = Stepper(net, X, Y, 0.5).step()
    for caption, fig in figures.phase_figures(record, "sigmoid", "quadratic"):
        fig.show()
    for eq in equations.for_neuron(record, j=0):
        print(eq.latex, eq.caption)

Pure presentation: numpy and plotly only, never Streamlit, nothing about a page.
Everything imports downwards: bp_view reads bp_core's records and registries, and
bp_core knows nothing of bp_view.  figures.py and equations.py list the modules.
"""

from . import equations, figures, text

__all__ = ["equations", "figures", "text"]
