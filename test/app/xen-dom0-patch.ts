// The pull request most app tests review: one commit that adds a Xen test
// to shared x86 code, hv-special-case's plainest finding.
import { renderSeries } from "../rules/rule-tester.js";

export const XEN_DOM0_PATCH = renderSeries([
  {
    subject: "x86/acpi: Ignore the PM timer on Xen dom0",
    body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
    files: [{ path: "arch/x86/kernel/acpi/boot.c", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }],
  },
]);
