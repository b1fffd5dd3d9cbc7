"""An explanation as one JSON document, every number in full, for a program to read."""

from __future__ import annotations

from michigrad.explain.notation import local_symbol
from michigrad.explain.steps import Explanation
from michigrad.formatting import json_line, json_number


def render_json(explanation: Explanation) -> str:
    """The explanation as one JSON object: the forward pass, the backward pass share by share, the gradients.

    A share's ``local_of`` names its local derivative as the derivative of the operation
    itself (``∂(x * w)/∂x``); ``running`` is the gradient of ``to`` once it is added, which is
    complete when ``complete`` is true.
    """
    document = {
        "result": explanation.result,
        "forward": [
            {"node": step.label, "op": step.operation, "inputs": list(step.operands), "value": json_number(step.value)}
            for step in explanation.forward
        ],
        "backward": [
            {
                "node": step.label,
                "grad": json_number(step.grad),
                "contributions": [
                    {
                        "to": contribution.to,
                        "upstream": json_number(contribution.upstream),
                        "local": json_number(contribution.local),
                        "product": json_number(contribution.product),
                        "local_of": local_symbol(contribution),
                        "formula": contribution.formula,
                        "running": json_number(contribution.running),
                        "complete": contribution.completes,
                    }
                    for contribution in step.contributions
                ],
            }
            for step in explanation.backward
        ],
        "gradients": {name: json_number(grad) for name, grad in explanation.gradients.items()},
    }
    return json_line(document)
