# SPDX-License-Identifier: GPL-2.0-or-later
"""Test tags as LTP uses them (kernel commits, CVEs...), with the URLs and
the failure hints LTP prints."""
from ..host.results import printable_text

# (tag, what a failure may mean, URL prefix), in LTP's order
HINTS = (
    ("linux-git", "missing kernel fixes",
     "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/"
     "commit/?id="),
    ("linux-stable-git", "missing stable kernel fixes",
     "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/"
     "commit/?id="),
    ("glibc-git", "missing glibc fixes",
     "https://sourceware.org/git/?p=glibc.git;a=commit;h="),
    ("musl-git", "missing musl fixes",
     "https://git.musl-libc.org/cgit/musl/commit/src/?id="),
    ("CVE", "vulnerable to CVE(s)",
     "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-"),
    ("known-fail", "hit by known kernel failures", ""),
)
URLS = {tag: url for tag, _, url in HINTS if url}


def tag_url(key, value):
    """The URL of a tag, or None for tags without one."""
    return URLS[key] + value if key in URLS else None


def failure_hints(tags, hint_label="HINT: "):
    """LTP's hint blocks for a failed test with these tags, as one string
    ("" when no tag has a hint); hint_label may carry colour. A value is
    one printable line: no tag forges a line (or a Summary)."""
    text = ""
    for tag, meaning, url in HINTS:
        values = [value for key, value in tags if key == tag]
        if values:
            text += f"\n{hint_label}You _MAY_ be {meaning}:\n\n"
            text += "".join(f"{url}{printable_text(value)}\n"
                            for value in values)
    return text
