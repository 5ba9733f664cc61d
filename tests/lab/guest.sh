#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Second stage of the emulated labs, run as PID 1 inside the lab VM, for
# both of run-lab's back ends:
# - QEMU (SVM): the initramfs has switched to the host's root file system
#   (read-only 9p under a tmpfs overlay); $LAB_OUT is a writable 9p share
#   of the host's results folder (build/lab/run);
# - Bochs (VMX): everything (this script, Python, the tree, the payloads,
#   the kernel modules, job.env) came in the initramfs; $LAB_OUT is a
#   folder of it, and the console is the only way back.
# run-lab writes $LAB_OUT/job.env; this script loads kvm and LAB_KVM_MODULE
# (kvm_amd or kvm_intel) with LAB_KVM_PARAMS (by default nested=1) from the
# lab kernel's modules, runs each test with the host's Python and writes
# NAME.log, NAME.rc, NAME.dmesg (and NAME.trace) to $LAB_OUT. Lines starting
# with "LAB: " are markers that run-lab reads from the console; each test's
# output, kernel log and exit status are also printed between markers, which
# is how the Bochs back end gets them.

LAB_OUT=${LAB_OUT:-/lab-out}
set -f		# no pathname expansion: LAB_TRACE may hold "kvm:*"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

say() { echo "LAB: $*"; }

finish() {
	dmesg > "$LAB_OUT/dmesg.txt" 2>&1
	say "done $1"
	sync
	# The console is a UART: wait until it has sent everything (Bochs
	# times it at 115200 baud), or the power-off cuts the results short.
	"$LAB_PYTHON" -c 'import termios; termios.tcdrain(1)' 2>/dev/null
	sleep 1
	# LAB_HALT: reset (QEMU's -no-reboot turns it into QEMU's exit) or
	# poweroff (Bochs exits on an ACPI power-off, it reboots on a reset)
	if [ "$LAB_HALT" = poweroff ]; then
		echo o > /proc/sysrq-trigger
		sleep 5
		poweroff -f
	fi
	echo b > /proc/sysrq-trigger
	sleep 5
	reboot -f
}

. "$LAB_OUT/job.env" || { say "error cannot read job.env"; finish 1; }

say "stage2 uptime $(cut -d' ' -f1 /proc/uptime) kernel $(uname -r)"
grep -m1 '^model name' /proc/cpuinfo | sed 's/^/LAB: cpu /'
# LAB_CPU_FLAG: svm or vmx, what LAB_KVM_MODULE needs of the lab CPU
grep -qw "$LAB_CPU_FLAG" /proc/cpuinfo ||
	{ say "error the lab CPU has no $LAB_CPU_FLAG flag"; finish 1; }

# modprobe looks in /lib/modules/$(uname -r): point it at the lab kernel's
# modules (QEMU: the root is an overlay, so this is a tmpfs write; Bochs:
# the modules sit in the initramfs at their host path).
mkdir -p /lib/modules && ln -sfn "$LAB_MODDIR" "/lib/modules/$(uname -r)"

# LAB_KVM_MODULE: kvm_amd or kvm_intel; LAB_KVM_PARAMS: its parameters for
# the lab (default nested=1)
load_kvm() {
	# shellcheck disable=SC2086
	modprobe "$LAB_KVM_MODULE" $LAB_KVM_PARAMS || return 1
	i=0
	while [ ! -c /dev/kvm ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -c /dev/kvm ]
}

# Y/N and 1/0 are the same boolean in /sys/module/*/parameters
same_value() {
	case "$1:$2" in
	Y:1|1:Y|N:0|0:N) return 0 ;;
	esac
	[ "$1" = "$2" ]
}

# The tests may reload the module (kvm_pagefault01 sets npt=0 or ept=0 and
# restores it): before each test make sure it is there with the lab's
# parameters.
ensure_kvm() {
	ok=1
	[ -c /dev/kvm ] || ok=0
	for kv in $LAB_KVM_PARAMS; do
		now=$(cat "/sys/module/$LAB_KVM_MODULE/parameters/${kv%%=*}" 2>/dev/null)
		same_value "$now" "${kv#*=}" || ok=0
	done
	[ $ok = 1 ] && return 0
	say "note $LAB_KVM_MODULE missing or not with $LAB_KVM_PARAMS: reloading it"
	modprobe -r "$LAB_KVM_MODULE" 2>/dev/null
	load_kvm
}

load_kvm || {
	say "error cannot load $LAB_KVM_MODULE $LAB_KVM_PARAMS"
	dmesg | tail -20
	finish 1
}
# The parameters the summary shows
case $LAB_KVM_MODULE in
kvm_amd) shown="nested npt nrips vgif vls avic lbrv" ;;
*) shown="nested ept unrestricted_guest vpid enable_shadow_vmcs pml eptad enable_apicv preemption_timer" ;;
esac
params=""
for p in $shown; do
	p=/sys/module/$LAB_KVM_MODULE/parameters/$p
	[ -r "$p" ] && params="$params ${p#/sys/module/}=$(cat "$p")"
done
[ -r /sys/module/kvm/parameters/tdp_mmu ] &&
	params="$params kvm/parameters/tdp_mmu=$(cat /sys/module/kvm/parameters/tdp_mmu)"
say "kvm ready uptime $(cut -d' ' -f1 /proc/uptime)$params"
dmesg -c > "$LAB_OUT/dmesg-boot.txt" 2>&1

# LAB_TRACE: kernel trace events (e.g. kvm:kvm_nested_vmexit) recorded
# during each test into NAME.trace
TRACING=/sys/kernel/tracing
if [ -n "$LAB_TRACE" ]; then
	mount -t tracefs tracefs $TRACING 2>/dev/null
	echo 16384 > $TRACING/buffer_size_kb
fi
trace_start() {
	echo > $TRACING/trace
	echo > $TRACING/set_event
	for ev in $LAB_TRACE; do
		echo "$ev" >> $TRACING/set_event ||
			say "note cannot trace $ev"
	done
	echo 1 > $TRACING/tracing_on
}
trace_stop() {
	echo 0 > $TRACING/tracing_on
	cat $TRACING/trace > "$1"
}

cd "$LAB_REPO" || { say "error no $LAB_REPO"; finish 1; }
export LTP_COLORIZE_OUTPUT=n PYTHONDONTWRITEBYTECODE=1
export LTP_TIMEOUT_MUL="$LAB_TIMEOUT_MUL"

# LAB_TESTS: KEY:NAME:ARCH:PAYLOAD_DIR, separated by spaces; KEY names the
# result files
for entry in $LAB_TESTS; do
	t=${entry%%:*}
	rest=${entry#*:}
	name=${rest%%:*}
	rest=${rest#*:}
	arch=${rest%%:*}
	export LTPKVM_PAYLOAD_DIR="${rest#*:}"
	if ! ensure_kvm; then
		say "error $LAB_KVM_MODULE cannot be reloaded before $t"
		finish 1
	fi
	say "test $t start uptime $(cut -d' ' -f1 /proc/uptime)"
	[ -n "$LAB_TRACE" ] && trace_start
	start=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2086
	timeout -k 10 "$LAB_TEST_TIMEOUT" "$LAB_PYTHON" -m ltpkvm run \
		$LAB_RUN_ARGS --arch "$arch" "$name" \
		> "$LAB_OUT/$t.log" 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	[ -n "$LAB_TRACE" ] && trace_stop "$LAB_OUT/$t.trace"
	dmesg -c > "$LAB_OUT/$t.dmesg" 2>&1
	echo "$rc $start $end" > "$LAB_OUT/$t.rc"
	say "test $t output begin"
	cat "$LAB_OUT/$t.log"
	say "test $t output end"
	if [ -s "$LAB_OUT/$t.dmesg" ]; then
		say "test $t kernel log begin"
		cat "$LAB_OUT/$t.dmesg"
		say "test $t kernel log end"
	fi
	# LAB_CONSOLE_ONLY=1 (Bochs): the console is the only way back
	if [ "$LAB_CONSOLE_ONLY" = 1 ] && [ -s "$LAB_OUT/$t.trace" ]; then
		say "test $t trace begin"
		cat "$LAB_OUT/$t.trace"
		say "test $t trace end"
	fi
	say "test $t rc $rc start $start end $end"
done
finish 0
