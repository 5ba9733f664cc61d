# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading a test's metadata from its C source (ltpkvm/ltp/csource.py):
what LTP's sources write, the C preprocessor's part, and the errors."""
import pytest

from ltpkvm.ltp.csource import SourceError, description, doc_comment, \
    metadata

HEADER = """// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright
 */

/*\\
 * CVE 2021-1234
 *
 * Check that the thing works. It really should.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
void main(void) { tst_res(TPASS, "guest"); }
#else /* COMPILE_PAYLOAD */
#include "tst_module.h"
"""


def fields(tmp_path, host_half):
    source = tmp_path / "kvm_x01.c"
    source.write_text(HEADER + host_half + "\n#endif\n")
    return metadata(str(source))["fields"]


def test_ltps_forms(tmp_path):
    found = fields(tmp_path, r"""
#define NESTED_FILE "/sys/module/kvm_amd/parameters/nested"
#define TIMEOUT (2 * 60)

static void setup(void) { }

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = setup,
	.needs_root = 1,
	.timeout = TIMEOUT + 1,
	.runtime = 0x10,
	.min_kver = "5." "10",
	.needs_kconfigs = (const char *[]) {
		"CONFIG_KVM" /* a comment */,
		"CONFIG_KVM_AMD=y|CONFIG_KVM_INTEL=y",
		NULL,
	},
	.needs_cmds = (struct tst_cmd[]) {
		{.cmd = "modprobe"},
		{}
	},
	.save_restore = (const struct tst_path_val[]) {
		{NESTED_FILE, "1", TST_SR_SKIP_MISSING | TST_SR_TBROK_RO},
		{"/proc/sys/kernel/x", NULL, TST_SR_TCONF},
		{}
	},
	.tags = (struct tst_tag[]){
		{"linux-git", "0123"},
		{"CVE", "2021-1234"},
		{NULL, NULL}
	},
	.tcnt = ARRAY_SIZE(tcases),
};
""")
    assert found == {
        "test_all": "tst_kvm_run", "setup": "setup", "needs_root": 1,
        "timeout": 121, "runtime": 16, "min_kver": "5.10",
        "needs_kconfigs": ["CONFIG_KVM",
                           "CONFIG_KVM_AMD=y|CONFIG_KVM_INTEL=y"],
        "needs_cmds": ["modprobe"],
        "save_restore": [
            ["/sys/module/kvm_amd/parameters/nested", "1",
             "TST_SR_SKIP_MISSING | TST_SR_TBROK_RO", 6],
            ["/proc/sys/kernel/x", None, "TST_SR_TCONF", 0]],
        "tags": [["linux-git", "0123"], ["CVE", "2021-1234"]],
        "tcnt": "ARRAY_SIZE ( tcases )"}


def test_the_preprocessor_decides_the_host_half(tmp_path):
    found = fields(tmp_path, """
#if defined(__x86_64__) || defined(__i386__)
static struct tst_test test = {
	.min_cpus = 2,
	.supported_archs = (const char *const []) {"x86_64", "x86", NULL},
};
#else
TST_TEST_TCONF("Not x86");
#endif
""")
    assert found == {"min_cpus": 2, "supported_archs": ["x86_64", "x86"]}


def test_a_tconf_host_half(tmp_path):
    assert fields(tmp_path, 'TST_TEST_TCONF("No " "way");') == {
        "tconf_msg": "No way"}


def test_a_guest_only_source_has_no_fields(tmp_path):
    source = tmp_path / "selftest.c"
    source.write_text('#include "kvm_test.h"\nvoid main(void) {}\n')
    assert metadata(str(source)) == {
        "source": str(source), "doc": [], "description": "", "fields": {},
        "lines": {}}


def test_field_lines(tmp_path):
    source = tmp_path / "kvm_x01.c"
    source.write_text(HEADER + "static struct tst_test test = {\n"
                      "\t.needs_root = 1,\n\n\t.min_cpus = 2,\n};\n#endif\n")
    lines = metadata(str(source))["lines"]
    first = HEADER.count("\n") + 2
    assert lines == {"needs_root": first, "min_cpus": first + 2}


@pytest.mark.parametrize("host_half, message", [
    ("static struct tst_test test = { .min_cpus = 1 };\n"
     "static struct tst_test test = { .min_cpus = 2 };",
     "a second struct tst_test test is defined"),
    ("static struct tst_test test = { .min_cpus = 1 }",
     "expected ';' after it"),
    ("static struct tst_test test = { 1, 2 };", "use designators"),
    ("static struct tst_test test = { .timeout = 1 << 99 };",
     ".timeout: expected an integer"),
    ("static struct tst_test test = { .timeout = 9 ** 9 ** 9 };",
     ".timeout: expected an integer"),
    ('static struct tst_test test = { .tags = (struct tst_tag[]){{"a", 1}}};',
     ".tags: expected a string, found '1'"),
    ("static struct tst_test test = { .min_cpus = ", "does not end"),
    ("#if\n#endif", "the preprocessor failed"),
])
def test_errors(tmp_path, host_half, message):
    with pytest.raises(SourceError) as exc:
        fields(tmp_path, host_half)
    assert message in str(exc.value)


def test_doc_and_description():
    doc = doc_comment(HEADER)
    assert doc == ["CVE 2021-1234", "", "Check that the thing works. It "
                   "really should."]
    assert description(doc) == "Check that the thing works."
    assert description(["[Description]", "", "Tests a thing", "well"]) == \
        "Tests a thing well"
    assert description([]) == ""
