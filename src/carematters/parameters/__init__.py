"""The law's numbers: every timescale, age and amount carematters uses, each a dated
parameter with its unit, a label and a reference to the law or guidance that sets it.

One YAML file per concept, in a folder per area of law (`reviews/first.yaml` is the
parameter `reviews.first`). Each gives its value by the date it applies from; a change
in the law is a new dated value, never an edit of an old one, so a question about any
day gets the answer the law gave that day. Code reads `parameters(on)["reviews.first"]`
and never writes the number itself; sentences users read are formatted from the same
value (`Parameters.text`).
"""

from carematters.parameters.values import (
    PLACEHOLDER,
    NotInForceError,
    Parameter,
    Parameters,
    Quantity,
    Reference,
    all_parameters,
    parameter,
    parameters,
)

__all__ = [
    "PLACEHOLDER",
    "NotInForceError",
    "Parameter",
    "Parameters",
    "Quantity",
    "Reference",
    "all_parameters",
    "parameter",
    "parameters",
]
