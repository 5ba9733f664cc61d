# SPDX-License-Identifier: GPL-2.0-or-later
#
# Builds every test payload (payloads/*.c) and the test-suite payloads
# (tests/payloads/*.c) into a flat binary plus its ELF with debug info, for
# each arch in ARCHES, out of tree in $(BUILD), with each source's metadata
# (NAME.json, from its doc comment and struct tst_test) and its NAME.py, if
# any. A source that does not compile fails the build. `make V=1` shows
# commands.

BUILD ?= build
# Where the tests' sources are (payloads/ in this tree; LTP's
# testcases/kernel/kvm works too: its lib_*.c are not tests).
TESTS_DIR ?= payloads
# ltpkvm's Python package, whose guest_abi.py and csource.py the build runs
LTPKVM_DIR ?= ltpkvm
ARCHES ?= x86_64 i386
CC ?= gcc
LD ?= ld
OBJCOPY ?= objcopy
PYTHON ?= python3

ifeq ($(V),1)
Q :=
msg = @:
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
msg = @:
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2);
endif

# `make` may be given CC=cc through the environment: that is fine.
ABI_SRC := $(LTPKVM_DIR)/host/guest_abi.py
CSOURCE := $(LTPKVM_DIR)/ltp/csource.py
ABI_H := $(BUILD)/include/kvm_abi.h

GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-pic -fno-pie -fno-common \
	-mno-red-zone -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fcf-protection=none -DCOMPILE_PAYLOAD -MMD -MP \
	-I$(BUILD)/include -Ipayloads/include
# Guest results name the source file as LTP does: without its directory.
FILE_MACRO = -fmacro-prefix-map=$(dir $<)=
LDFLAGS_GUEST := -nostdlib -static -z noexecstack -z max-page-size=4096 \
	--build-id=none $(shell $(LD) --help 2>/dev/null | grep -q no-warn-rwx \
	&& echo --no-warn-rwx-segments)

CFLAGS_x86_64 := -m64
LDEMU_x86_64 := elf_x86_64
CFLAGS_i386 := -m32 -march=i686
LDEMU_i386 := elf_i386

LIB_SRCS := $(wildcard payloads/lib/*.c)
TEST_SRCS := $(filter-out $(TESTS_DIR)/lib_%,$(wildcard $(TESTS_DIR)/*.c))
SUITE_SRCS := $(wildcard tests/payloads/*.c)
TEST_NAMES := $(basename $(notdir $(TEST_SRCS)))
SUITE_NAMES := $(basename $(notdir $(SUITE_SRCS)))
# Test definitions (metadata, host hooks) go beside the built payloads.
TEST_DEFS := $(patsubst $(TESTS_DIR)/%,$(BUILD)/payloads/%,$(wildcard $(TESTS_DIR)/*.py))
SUITE_DEFS := $(patsubst tests/payloads/%,$(BUILD)/tests/%,$(wildcard tests/payloads/*.py))
TEST_META := $(TEST_NAMES:%=$(BUILD)/payloads/%.json)
SUITE_META := $(SUITE_NAMES:%=$(BUILD)/tests/%.json)

.PHONY: all payloads suite bench clean
all: payloads suite bench
payloads: $(TEST_DEFS) $(TEST_META)
suite: $(SUITE_DEFS) $(SUITE_META)

# A test's metadata, from its C source; a malformed struct tst_test is an
# error naming the line.
define extract_metadata
	@mkdir -p $(@D)
	$(call msg,META,$@)
	$(Q)$(PYTHON) $(CSOURCE) $< "$(CC)" > $@.tmp && mv $@.tmp $@ \
	|| { rm -f $@.tmp; exit 1; }
endef
$(BUILD)/payloads/%.json: $(TESTS_DIR)/%.c $(CSOURCE)
	$(extract_metadata)
$(BUILD)/tests/%.json: tests/payloads/%.c $(CSOURCE)
	$(extract_metadata)

$(BUILD)/payloads/%.py: $(TESTS_DIR)/%.py
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(BUILD)/tests/%.py: tests/payloads/%.py
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(ABI_H): $(ABI_SRC)
	@mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)$(PYTHON) $(ABI_SRC) > $@.tmp && mv $@.tmp $@

# Compile a test source $< for arch $(1). A test that has nothing to run
# on an arch says so itself (TST_TEST_TCONF() under #if, or
# supported_archs): a compiler error is an error.
define compile_test
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(CFLAGS_$(1)) $(FILE_MACRO) -c $< -o $@ \
	|| { echo "ERROR: $< does not compile for $(1) (the compiler's" \
	     "messages are above)" >&2; exit 1; }
endef

# Per-arch rules: $(1) is the arch.
define ARCH_RULES
OBJ_$(1) := $(BUILD)/obj/$(1)
LIB_OBJS_$(1) := $$(OBJ_$(1))/bootstrap.o \
	$$(patsubst payloads/lib/%.c,$$(OBJ_$(1))/lib/%.o,$(LIB_SRCS))
LDS_$(1) := $$(OBJ_$(1))/linker.lds

payloads: $(foreach n,$(TEST_NAMES),$(BUILD)/payloads/$(1)/$(n).bin)
suite: $(foreach n,$(SUITE_NAMES),$(BUILD)/tests/$(1)/$(n).bin)

$$(OBJ_$(1))/lib/%.o: payloads/lib/%.c $(ABI_H)
	@mkdir -p $$(@D)
	$$(call msg,CC,$$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -Werror $(CFLAGS_$(1)) $$(FILE_MACRO) -c $$< -o $$@

$$(OBJ_$(1))/bootstrap.o: payloads/x86/bootstrap.S $(ABI_H)
	@mkdir -p $$(@D)
	$$(call msg,AS,$$@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(CFLAGS_$(1)) -c $$< -o $$@

$$(LDS_$(1)): payloads/x86/linker.lds.S $(ABI_H)
	@mkdir -p $$(@D)
	$$(call msg,CPP,$$@)
	$(Q)$(CC) $(CFLAGS_$(1)) -Ui386 -E -P -x assembler-with-cpp -I$(BUILD)/include $$< -o $$@

$$(OBJ_$(1))/payloads/%.o: $(TESTS_DIR)/%.c $(ABI_H)
	$$(call compile_test,$(1))

$$(OBJ_$(1))/tests/%.o: tests/payloads/%.c $(ABI_H)
	$$(call compile_test,$(1))

$(BUILD)/payloads/$(1)/%.elf: $$(OBJ_$(1))/payloads/%.o $$(LIB_OBJS_$(1)) $$(LDS_$(1))
	@mkdir -p $$(@D)
	$$(call msg,LD,$$@)
	$(Q)$(LD) -m $(LDEMU_$(1)) $(LDFLAGS_GUEST) -T $$(LDS_$(1)) -o $$@ \
		$$(LIB_OBJS_$(1)) $$<

$(BUILD)/tests/$(1)/%.elf: $$(OBJ_$(1))/tests/%.o $$(LIB_OBJS_$(1)) $$(LDS_$(1))
	@mkdir -p $$(@D)
	$$(call msg,LD,$$@)
	$(Q)$(LD) -m $(LDEMU_$(1)) $(LDFLAGS_GUEST) -T $$(LDS_$(1)) -o $$@ \
		$$(LIB_OBJS_$(1)) $$<
endef
$(foreach arch,$(ARCHES),$(eval $(call ARCH_RULES,$(arch))))

%.bin: %.elf
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

# The C reference run loop the benchmark compares the host loop against.
bench: $(BUILD)/bench/librunloop_ref.so
$(BUILD)/bench/librunloop_ref.so: bench/runloop_ref.c $(ABI_H)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Werror -shared -fPIC -I$(BUILD)/include -o $@ $<

# The emulated SVM lab (tests/lab/README.rst): needs root, about 30 s;
# LAB_ARGS passes run-lab options and test names.
.PHONY: lab proof
lab:
	$(PYTHON) tests/lab/run-lab $(LAB_ARGS)

# Each regression test on the stock lab kernel and on its mutant
# (tests/lab/reverts): needs root, about 25 minutes the first time (the
# kernel build), 17 after; PROOF_ARGS names tests.
proof:
	$(PYTHON) tests/lab/proof $(PROOF_ARGS)

clean:
	rm -rf $(BUILD)

.SECONDARY:
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
