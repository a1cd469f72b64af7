"""What the project's two TypeScript kernels (tslab and Deno) share in jupyter_kernel_test's
protocol suite: the samples both answer alike, the helpers' display samples, and the checks that
apply to neither. test_kernel_tslab.py and test_kernel_deno.py add each kernel's own."""

from __future__ import annotations

import unittest

import jupyter_kernel_test

PLOTLY_MIME = "application/vnd.plotly.v1+json"

# The helpers' values, imported as a notebook imports them.
_HELPERS_HIST = (
    'import * as od from "@opendata-lab/kernel-helpers";\n'
    "{}new od.Hist1D(2, 0, 2).fill([0.5, 1.5, 1.5]){}"
)
# A Hist1D as the cell's value: its plot is the execute_result (the display protocol below).
HELPERS_RESULT_SAMPLE = {"code": _HELPERS_HIST.format("", ""), "mime": PLOTLY_MIME}
# The helpers' show(): a display_data.
HELPERS_SHOW_SAMPLE = {"code": _HELPERS_HIST.format("od.show(", ");"), "mime": PLOTLY_MIME}


def display_protocol_sample(html: str) -> dict:
    """Deno's display protocol, which the helpers' values implement: the value's own bundle is
    the execute_result."""
    code = '({ [Symbol.for("Jupyter.display")]() { return { "text/html": "%s" }; } })' % html
    return {"code": code, "mime": "text/html", "result": html}


class TypeScriptSamples:
    """Mixed in before jupyter_kernel_test.KernelTests, whose empty defaults these replace."""

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'
    code_generate_error = 'throw new Error("boom")'
    complete_code_samples = ["const x = 1", "console.log(1)"]
    incomplete_code_samples = ["function f() {", "const o = {"]
    code_inspect_sample = "Math.max"

    def test_pager(self) -> None:
        raise unittest.SkipTest("TypeScript has no pager payload (IPython's `?`) to ask for")


class NoIopubWelcome(jupyter_kernel_test.IopubWelcomeTests):
    """iopub_welcome (JEP 65) is optional and announced by no kernel_info field; a subclass names
    its kernel and says why that kernel does not send it (`not_sent_because`)."""

    not_sent_because = "the kernel does not send it"

    @classmethod
    def setUpClass(cls) -> None:
        raise unittest.SkipTest(
            "iopub_welcome (JEP 65) is optional and announced by no kernel_info field; "
            + cls.not_sent_because
        )
