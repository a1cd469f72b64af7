"""jupyter_kernel_test's protocol suite against the project's Deno kernel (`deno jupyter`, from
the npm package `deno`, registered by scripts/install-kernel.mjs).

Each check the kernel can meet has its sample below; the ones that cannot apply are skipped with
the reason. The kernel starts in the repository root, so the helpers import as they do in the
notebooks (Deno resolves `@opendata-lab/kernel-helpers` through package.json and node_modules).
"""

from __future__ import annotations

import unittest
from pathlib import Path
from queue import Empty
from typing import Any

import jupyter_kernel_test
import kernel_suite
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]


class DenoKernelTests(kernel_suite.TypeScriptSamples, jupyter_kernel_test.KernelTests):
    kernel_name = "deno"

    @classmethod
    def setUpClass(cls) -> None:
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, cwd=str(ROOT))

    def execute_helper(self, code: str, *args: Any, **kwargs: Any) -> tuple[dict, list[dict]]:
        """The suite's execute_helper, plus the cell's outputs that Deno 2.9 publishes just after
        its idle status (stdout from another task, flushed by a 5 ms sleep; see the notebook
        runner's LATE_OUTPUT_SECONDS): kept until the kernel has been quiet 0.15 s. The checks
        are then about what the kernel sends, not about that upstream ordering race."""
        reply, outputs = super().execute_helper(code, *args, **kwargs)
        parent = reply["parent_header"]["msg_id"]
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.15)
            except Empty:
                return reply, outputs
            if msg["parent_header"].get("msg_id") == parent and msg["msg_type"] != "status":
                outputs.append(msg)

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": '"ab"'},
        kernel_suite.display_protocol_sample("<b>r</b>"),
        kernel_suite.HELPERS_RESULT_SAMPLE,
    ]
    code_display_data = [
        # Deno's own display, and the helpers' show(), which sends through Deno.jupyter.broadcast.
        {"code": 'await Deno.jupyter.display({ "text/html": "<b>x</b>" }, { raw: true })',
         "mime": "text/html"},
        kernel_suite.HELPERS_SHOW_SAMPLE,
    ]
    code_clear_output = 'Deno.jupyter.broadcast("clear_output", { wait: false })'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "console.lo", "matches": {"log"}},
    ]
    invalid_code_samples = ["let x = )"]

    # Not applicable to Deno's kernel (2.9.6). Each skip first asks the kernel, so that a Deno
    # which learns the request runs the real check instead of being skipped unseen.
    code_execute_result_for_history = "6 * 7"

    def test_inspect(self) -> None:
        msg_id = self.kc.inspect(self.code_inspect_sample)
        reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
        assert reply is not None and reply["parent_header"]["msg_id"] == msg_id
        if not reply["content"].get("found"):
            raise unittest.SkipTest("Deno's kernel answers every inspect_request with found: false")
        super().test_inspect()

    def test_history(self) -> None:
        self.execute_helper(self.code_execute_result_for_history)
        msg_id = self.kc.history(hist_access_type="tail", n=1, output=False, raw=True)
        reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
        assert reply is not None and reply["parent_header"]["msg_id"] == msg_id
        if not reply["content"].get("history"):
            raise unittest.SkipTest("Deno's kernel keeps no history: history_reply is always empty")
        self.supported_history_operations = ("tail", "range")
        super().test_history()


class DenoIopubWelcomeTests(kernel_suite.NoIopubWelcome):
    kernel_name = "deno"
    not_sent_because = "Deno's kernel does not send it"


if __name__ == "__main__":
    unittest.main()
